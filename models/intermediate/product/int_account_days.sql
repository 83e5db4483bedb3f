{#-
    An account that goes dark keeps its rows (and its health falls), and a gap
    in the data never starts a new run of a trigger condition. A line runs on
    D when start_date <= D < end_date (null end = open).

    Days before the usage feed starts (the first usage_date of the whole
    feed) are not invented: a warehouse loaded with a short usage history and
    years of contracts has no usage days before that history.

    Set-based: an account's lines are first merged into islands of
    continuous coverage (gaps and islands over start_date, a renewal that
    starts the day the old line ends continues the island), and each island
    is joined to a calendar of days (macro calendar_days).

    Incremental (macro incremental_output_window); lines and the feed start
    are read whole (small).
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

{%- set open_end = "cast('9999-12-31' as date)" %}

with

usage_daily as (

    select * from {{ ref('stg_product__usage_daily') }}

),

subscription_lines as (

    select * from {{ ref('stg_billing__subscriptions') }}

),

output_window as (

    {{ incremental_output_window('usage_date', rebuild_days=3) }}

),

feed_start as (

    select min(usage_date) as feed_start_date
    from usage_daily

),

days_bounded as (

    select
        case
            when output_window.first_output_date > feed_start.feed_start_date
                then output_window.first_output_date
            else feed_start.feed_start_date
        end as first_day,
        output_window.last_output_date as last_day
    from output_window
    cross join feed_start

),

calendar as (

    {{ calendar_days('days_bounded', 'first_day', 'last_day', 'usage_date') }}

),

lines_ordered as (

    select
        account_id,
        start_date,
        coalesce(end_date, {{ open_end }}) as end_date,
        max(coalesce(end_date, {{ open_end }})) over (
            partition by account_id
            order by start_date, coalesce(end_date, {{ open_end }})
            rows between unbounded preceding and 1 preceding
        ) as covered_until
    from subscription_lines
    where end_date is null or end_date > start_date

),

islands_numbered as (

    select
        account_id,
        start_date,
        end_date,
        sum(
            case when covered_until is null or start_date > covered_until then 1 else 0 end
        ) over (
            partition by account_id
            order by start_date, end_date
            rows between unbounded preceding and current row
        ) as island_number
    from lines_ordered

),

islands as (

    select
        account_id,
        min(start_date) as island_start_date,
        max(end_date) as island_end_date
    from islands_numbered
    group by account_id, island_number

),

covered_days as (

    select
        islands.account_id,
        calendar.usage_date,
        0 as has_usage_row
    from islands
    inner join calendar
        on
            islands.island_start_date <= calendar.usage_date
            and islands.island_end_date > calendar.usage_date

),

reported_days as (

    select
        usage_daily.account_id,
        usage_daily.usage_date,
        1 as has_usage_row
    from usage_daily
    cross join days_bounded
    where
        usage_daily.usage_date >= days_bounded.first_day
        and usage_daily.usage_date <= days_bounded.last_day

),

days_unioned as (

    select * from covered_days
    union all
    select * from reported_days

),

final as (

    select
        account_id,
        usage_date,
        max(has_usage_row) = 1 as has_usage_row
    from days_unioned
    group by account_id, usage_date

)

select * from final
