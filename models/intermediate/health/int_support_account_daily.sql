{#-
    Point in time: a ticket counts from its created_at day; it is open on day
    D when created on or before D and not resolved on or before D.

    Set-based: the ticket events (opened, resolved, rated) and a zero row per
    active day are summed per account and day; the windowed counts are `range`
    windows over the day number, open tickets a running sum of +1 / -1, the
    latest CSAT the value of the last rated day (running group number).

    Incremental (macro incremental_output_window). Tickets are a small
    snapshot, read whole, so running totals start from the first ticket.
-#}
{{
    config(
        materialized='incremental',
        incremental_strategy=incremental_strategy_by_day(),
        unique_key=['account_id', 'usage_date'],
        partition_by=incremental_partition_by_day('usage_date'),
        on_schema_change='fail',
    )
}}


with

account_days as (

    select * from {{ ref('int_account_days') }}

),

tickets as (

    select * from {{ ref('stg_support__tickets') }}

),

output_window as (

    {{ incremental_output_window('usage_date', rebuild_days=3) }}

),

output_days as (

    select
        account_days.account_id,
        account_days.usage_date,
        {{ day_number('account_days.usage_date') }} as day_number  -- noqa: LT05

    from account_days
    cross join output_window
    where
        account_days.usage_date >= output_window.first_output_date
        and account_days.usage_date <= output_window.last_output_date

),

tickets_known as (

    select
        tickets.account_id,
        cast(tickets.created_at as date) as created_date,
        case
            when cast(tickets.resolved_at as date) <= output_window.last_output_date
                then cast(tickets.resolved_at as date)
        end as resolved_date,
        tickets.csat_score

    from tickets
    cross join output_window
    where cast(tickets.created_at as date) <= output_window.last_output_date

),

ticket_events as (
{{ padded_union(
    keys=['account_id', 'day_number'],
    measures={
        'tickets_opened': '0',
        'open_delta': '0',
        'csat_ratings': '0',
        'csat_total': 'cast(0 as ' ~ type_decimal() ~ ')',
    },
    parts=[
        {
            'from': 'tickets_known',
            'keys': {'day_number': day_number('created_date')},
            'set': {'tickets_opened': '1', 'open_delta': '1'},
        },
        {
            'from': 'tickets_known',
            'keys': {'day_number': day_number('resolved_date')},
            'set': {
                'open_delta': '-1',
                'csat_ratings': 'case when csat_score is not null then 1 else 0 end',
                'csat_total': 'cast(coalesce(csat_score, 0) as ' ~ type_decimal() ~ ')',
            },
            'where': 'resolved_date is not null',
        },
        {'from': 'output_days', 'set': {}},
    ],
) }}

),

ticket_events_per_day as (

    select
        account_id,
        day_number,
        sum(tickets_opened) as tickets_opened,
        sum(open_delta) as open_delta,
        sum(csat_ratings) as csat_ratings,
        sum(csat_total) as csat_total

    from ticket_events
    group by account_id, day_number

),

ticket_windows as (

    select
        account_id,
        day_number,
        csat_ratings,
        csat_total,
        sum(tickets_opened) over (
            partition by account_id order by day_number
            range between 29 preceding and current row
        ) as tickets_opened_30d,
        sum(tickets_opened) over (
            partition by account_id order by day_number
            range between 59 preceding and 30 preceding
        ) as tickets_opened_prior_30d,
        sum(open_delta) over (
            partition by account_id order by day_number
            rows between unbounded preceding and current row
        ) as open_tickets,
        sum(case when csat_ratings > 0 then 1 else 0 end) over (
            partition by account_id order by day_number
            rows between unbounded preceding and current row
        ) as csat_rating_group

    from ticket_events_per_day

),

csat_carried as (

    select
        account_id,
        day_number,
        tickets_opened_30d,
        coalesce(tickets_opened_prior_30d, 0) as tickets_opened_prior_30d,
        open_tickets,
        -- every day of a group shares the group's first (rated) day
        max(
            case when csat_ratings > 0 then csat_total / csat_ratings end
        ) over (partition by account_id, csat_rating_group) as latest_csat_score,
        max(
            case when csat_ratings > 0 then day_number end
        ) over (partition by account_id, csat_rating_group) as latest_csat_day_number

    from ticket_windows

),

final as (

    select
        output_days.account_id,
        output_days.usage_date,
        cast(csat_carried.tickets_opened_30d as {{ dbt.type_bigint() }}) as tickets_opened_30d,
        cast(
            csat_carried.tickets_opened_prior_30d as {{ dbt.type_bigint() }}
        ) as tickets_opened_prior_30d,
        case
            when
                csat_carried.tickets_opened_30d = 0
                and csat_carried.tickets_opened_prior_30d = 0
                then 'none'
            when csat_carried.tickets_opened_30d < csat_carried.tickets_opened_prior_30d
                then 'declining'
            when csat_carried.tickets_opened_30d = csat_carried.tickets_opened_prior_30d
                then 'stable'
            else 'increasing'
        end as ticket_trend,
        cast(csat_carried.open_tickets as {{ dbt.type_bigint() }}) as open_tickets,
        cast(csat_carried.latest_csat_score as decimal(6, 2)) as latest_csat_score,
        output_days.day_number - csat_carried.latest_csat_day_number as days_since_latest_csat

    from output_days
    inner join csat_carried
        on
            output_days.account_id = csat_carried.account_id
            and output_days.day_number = csat_carried.day_number

)

select * from final
