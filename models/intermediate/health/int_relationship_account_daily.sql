{#-
    Point in time: a contact counts from valid_from to the day before
    valid_to; a champion departure (a champion row closed with no successor
    row for the same contact) is known on its valid_to day; a price increase
    (a line replacing one of the same product and quantity at a higher ARR)
    on the new line's start_date; everything else on its own date.

    Set-based: dated events and a zero row per active day are summed per
    account and day; counts present are running sums of +1 / -1, "latest X"
    a running max of the event's day number (the latest NPS score is carried
    by a running group number). Incremental (macro incremental_output_window);
    the event sources are small snapshots, read whole.
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

nps_responses as (

    select * from {{ ref('stg_survey__nps_responses') }}

),

contacts as (

    select * from {{ ref('stg_crm__contacts') }}

),

activities as (

    select * from {{ ref('stg_crm__activities') }}

),

opportunities as (

    select * from {{ ref('stg_crm__opportunities') }}

),

subscription_lines as (

    select * from {{ ref('stg_billing__subscriptions') }}

),

output_window as (

    {{ incremental_output_window('usage_date', rebuild_days=3) }}

),

output_days as (

    select
        account_days.account_id,
        account_days.usage_date

    from account_days
    cross join output_window
    where
        account_days.usage_date >= output_window.first_output_date
        and account_days.usage_date <= output_window.last_output_date

),

nps_known as (

    select
        nps_responses.account_id,
        cast(nps_responses.responded_at as date) as event_date,
        nps_responses.nps_score

    from nps_responses
    cross join output_window
    where cast(nps_responses.responded_at as date) <= output_window.last_output_date

),

contacts_known as (

    select
        contacts.contact_id,
        contacts.account_id,
        contacts.valid_from,
        case
            when contacts.valid_to <= output_window.last_output_date then contacts.valid_to
        end as valid_to,
        coalesce(contacts.is_champion, false) as is_champion,
        coalesce(contacts.is_exec_sponsor, false) as is_exec_sponsor

    from contacts
    cross join output_window
    where contacts.valid_from <= output_window.last_output_date

),

champion_departures as (

    select
        closed_rows.account_id,
        closed_rows.valid_to as event_date

    from contacts_known as closed_rows
    left join contacts_known as successor_rows
        on
            closed_rows.contact_id = successor_rows.contact_id
            and closed_rows.valid_to = successor_rows.valid_from
    where
        closed_rows.is_champion
        and closed_rows.valid_to is not null
        and successor_rows.contact_id is null

),

touches as (

    select
        activities.account_id,
        cast(activities.occurred_at as date) as event_date

    from activities
    cross join output_window
    where cast(activities.occurred_at as date) <= output_window.last_output_date

),

outreaches as (

    select
        opportunities.account_id,
        cast(opportunities.created_at as date) as event_date

    from opportunities
    cross join output_window
    where cast(opportunities.created_at as date) <= output_window.last_output_date

),

price_increases as (

    select
        new_lines.account_id,
        new_lines.start_date as event_date

    from subscription_lines as new_lines
    inner join subscription_lines as old_lines
        on
            new_lines.account_id = old_lines.account_id
            and new_lines.product_id = old_lines.product_id
            and new_lines.quantity = old_lines.quantity
            and new_lines.currency_code = old_lines.currency_code
            and new_lines.start_date = old_lines.end_date
    cross join output_window
    where
        new_lines.arr_local > old_lines.arr_local
        and new_lines.start_date <= output_window.last_output_date

),

events as (
{{ padded_union(
    keys=['account_id', 'event_date'],
    measures={
        'nps_responses': '0',
        'nps_score': 'null',
        'contact_delta': '0',
        'champion_delta': '0',
        'exec_sponsor_delta': '0',
        'is_champion_departure': '0',
        'is_touch': '0',
        'is_outreach': '0',
        'is_price_increase': '0',
    },
    parts=[
        {'from': 'nps_known', 'set': {'nps_responses': '1', 'nps_score': 'nps_score'}},
        {
            'from': 'contacts_known',
            'keys': {'event_date': 'valid_from'},
            'set': {
                'contact_delta': '1',
                'champion_delta': 'case when is_champion then 1 else 0 end',
                'exec_sponsor_delta': 'case when is_exec_sponsor then 1 else 0 end',
            },
        },
        {
            'from': 'contacts_known',
            'keys': {'event_date': 'valid_to'},
            'set': {
                'contact_delta': '-1',
                'champion_delta': 'case when is_champion then -1 else 0 end',
                'exec_sponsor_delta': 'case when is_exec_sponsor then -1 else 0 end',
            },
            'where': 'valid_to is not null',
        },
        {'from': 'champion_departures', 'set': {'is_champion_departure': '1'}},
        {'from': 'touches', 'set': {'is_touch': '1'}},
        {'from': 'outreaches', 'set': {'is_outreach': '1'}},
        {'from': 'price_increases', 'set': {'is_price_increase': '1'}},
        {'from': 'output_days', 'keys': {'event_date': 'usage_date'}, 'set': {}},
    ],
) }}

),

events_per_day as (

    select
        account_id,
        event_date,
        {{ day_number('event_date') }} as day_number,
        sum(nps_responses) as nps_responses,
        -- several responses on one day: their average
        avg(nps_score) as nps_score,
        sum(contact_delta) as contact_delta,
        sum(champion_delta) as champion_delta,
        sum(exec_sponsor_delta) as exec_sponsor_delta,
        max(is_champion_departure) as is_champion_departure,
        max(is_touch) as is_touch,
        sum(is_outreach) as outreaches,
        max(is_price_increase) as is_price_increase

    from events
    group by account_id, event_date

),

quarters_assigned as (

    select
        events_per_day.*,
        cast({{ dbt.date_trunc('quarter', 'event_date') }} as date) as quarter_start_date

    from events_per_day

),

running_totals as (

    select
        account_id,
        event_date,
        day_number,
        nps_score,
        sum(case when nps_responses > 0 then 1 else 0 end) over (
            partition by account_id order by day_number
            rows between unbounded preceding and current row
        ) as nps_group,
        max(case when nps_responses > 0 then day_number end) over (
            partition by account_id order by day_number
            rows between unbounded preceding and current row
        ) as latest_nps_day_number,
        sum(contact_delta) over (
            partition by account_id order by day_number
            rows between unbounded preceding and current row
        ) as contacts_present,
        sum(champion_delta) over (
            partition by account_id order by day_number
            rows between unbounded preceding and current row
        ) as champions_present,
        sum(exec_sponsor_delta) over (
            partition by account_id order by day_number
            rows between unbounded preceding and current row
        ) as exec_sponsors_present,
        max(case when is_champion_departure = 1 then day_number end) over (
            partition by account_id order by day_number
            rows between unbounded preceding and current row
        ) as latest_champion_departure_day_number,
        max(case when is_touch = 1 then day_number end) over (
            partition by account_id order by day_number
            rows between unbounded preceding and current row
        ) as latest_touch_day_number,
        max(case when is_price_increase = 1 then event_date end) over (
            partition by account_id order by day_number
            rows between unbounded preceding and current row
        ) as latest_price_increase_date,
        sum(outreaches) over (
            partition by account_id, quarter_start_date order by day_number
            rows between unbounded preceding and current row
        ) as expansion_outreaches_qtd

    from quarters_assigned

),

nps_carried as (

    select
        running_totals.*,
        max(running_totals.nps_score) over (
            partition by running_totals.account_id, running_totals.nps_group
        ) as latest_nps_score

    from running_totals

),

final as (

    select
        output_days.account_id,
        output_days.usage_date,
        cast(nps_carried.latest_nps_score as decimal(6, 2)) as latest_nps_score,
        nps_carried.day_number - nps_carried.latest_nps_day_number as days_since_latest_nps,
        cast(nps_carried.contacts_present as {{ dbt.type_bigint() }}) as contacts_present,
        cast(nps_carried.champions_present as {{ dbt.type_bigint() }}) as champions_present,
        cast(nps_carried.exec_sponsors_present as {{ dbt.type_bigint() }}) as exec_sponsors_present,
        nps_carried.champions_present > 0 as has_champion,
        nps_carried.exec_sponsors_present > 0 as has_exec_sponsor,
        nps_carried.day_number
        - nps_carried.latest_champion_departure_day_number as days_since_champion_departure,
        nps_carried.day_number - nps_carried.latest_touch_day_number as days_since_last_touch,
        nps_carried.latest_price_increase_date,
        cast(
            nps_carried.expansion_outreaches_qtd as {{ dbt.type_bigint() }}
        ) as expansion_outreaches_qtd

    from output_days
    inner join nps_carried
        on
            output_days.account_id = nps_carried.account_id
            and output_days.usage_date = nps_carried.event_date

)

select * from final
