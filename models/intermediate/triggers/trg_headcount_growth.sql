{#-
    headcount_growth: the latest firmographic snapshot on or before the day
    shows employee_count up by the threshold (0.20 = +20%) on the latest
    snapshot at least window_value months older than it.
    One row per account per usage day where the condition holds.
-#}
{%- set window_months = trigger_setting('headcount_growth', 'window_value', 12) %}

with

firmographics as (

    select * from {{ ref('stg_enrichment__firmographics') }}

),

usage as (

    select * from {{ ref('int_product_usage_account_daily') }}

),

registry as (

    {{ trigger_registry_row('headcount_growth') }}

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
        cast(employee_count as decimal(18, 4)) / earlier_employee_count - 1 as employee_growth
    from earlier_snapshots
    where recency_rank = 1

),

final as (

    select
        usage.account_id,
        usage.usage_date as evaluated_on,
        cast(growth.employee_growth as decimal(18, 4)) as signal_value,
        registry.threshold_value
    from usage
    inner join growth
        on
            usage.account_id = growth.account_id
            and usage.usage_date >= growth.snapshot_date
            and (growth.next_snapshot_date is null or usage.usage_date < growth.next_snapshot_date)
    cross join registry
    where growth.employee_growth >= registry.threshold_value

)

select * from final
