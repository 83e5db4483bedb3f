{#-
    The condition (figures in trigger_registry): the latest firmographic
    snapshot on or before the day shows employee_count up by the threshold
    on the latest snapshot at least window_value months older than it, and
    the growth *crossed* the threshold (the account's previous snapshot was
    below it) within the last cooldown_days days. The condition becomes true
    on the crossing (SPEC section 7: a firing is the day the condition
    becomes true): an account that has grown past the threshold for as long
    as the data goes back never fires, and a missing usage row cannot start
    a second run. The first snapshot with a window_value-month comparison is
    no crossing.
-#}
{{ config(meta={'compares_thresholds': true}) }}

{%- set window_months = trigger_setting('headcount_growth', 'window_value', 12) %}
{%- set recent_days = trigger_setting('headcount_growth', 'cooldown_days', 30) %}

with

firmographics as (

    select * from {{ ref('stg_enrichment__firmographics') }}

),

usage as (

    select * from {{ ref('int_product_usage_account_daily') }}

),

thresholds as (

    {{ trigger_thresholds('headcount_growth') }}

),

snapshots as (

    select
        account_id,
        snapshot_date,
        employee_count,
        cast(
            {{ dbt.dateadd('month', -window_months, 'snapshot_date') }}
            as date
        ) as compare_on_or_before,
        lead(snapshot_date) over (
            partition by account_id order by snapshot_date
        ) as next_snapshot_date
    from firmographics
    where employee_count is not null

),

earlier_snapshots as (

    select
        snapshots.account_id,
        snapshots.snapshot_date,
        snapshots.employee_count,
        snapshots.next_snapshot_date,
        earlier.employee_count as earlier_employee_count,
        row_number() over (
            partition by snapshots.account_id, snapshots.snapshot_date
            order by earlier.snapshot_date desc
        ) as recency_rank
    from snapshots
    inner join firmographics as earlier
        on
            snapshots.account_id = earlier.account_id
            and snapshots.compare_on_or_before >= earlier.snapshot_date
    where earlier.employee_count > 0

),

growth as (

    select
        account_id,
        snapshot_date,
        next_snapshot_date,
        cast(employee_count as {{ type_decimal() }}) / earlier_employee_count - 1 as employee_growth
    from earlier_snapshots
    where recency_rank = 1

),

previous_growth as (

    select
        account_id,
        snapshot_date,
        next_snapshot_date,
        employee_growth,
        lag(employee_growth) over (
            partition by account_id order by snapshot_date
        ) as previous_employee_growth
    from growth

),

crossings as (

    select
        previous_growth.account_id,
        previous_growth.snapshot_date,
        previous_growth.next_snapshot_date,
        previous_growth.employee_growth,
        thresholds.threshold_value,
        thresholds.evaluated_from,
        thresholds.evaluated_through,
        case
            when
                previous_growth.employee_growth >= thresholds.threshold_value
                and previous_growth.previous_employee_growth < thresholds.threshold_value
                then {{ day_number('previous_growth.snapshot_date') }}
        end as crossing_day_number
    from previous_growth
    cross join thresholds

),

latest_crossings as (

    select
        account_id,
        snapshot_date,
        next_snapshot_date,
        employee_growth,
        threshold_value,
        evaluated_from,
        evaluated_through,
        max(crossing_day_number) over (
            partition by account_id, threshold_value order by snapshot_date
            rows between unbounded preceding and current row
        ) as latest_crossing_day_number
    from crossings

),

final as (

    select
        usage.account_id,
        usage.usage_date as evaluated_on,
        cast(growth.employee_growth as {{ type_decimal() }}) as signal_value,
        growth.threshold_value
    from usage
    inner join latest_crossings as growth
        on
            usage.account_id = growth.account_id
            and usage.usage_date >= growth.snapshot_date
            and (growth.next_snapshot_date is null or usage.usage_date < growth.next_snapshot_date)
    where
        growth.employee_growth >= growth.threshold_value
        and {{ day_number('usage.usage_date') }}
        < growth.latest_crossing_day_number + {{ recent_days }}
        and usage.usage_date between growth.evaluated_from and growth.evaluated_through

)

select * from final
