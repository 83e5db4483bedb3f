{#-
    usage_ceiling: on a usage day, usage of the most used plan limit (events in
    the last 30 days vs the monthly events limit, integrations, environments,
    storage) is at or above the threshold share of that limit.
    One row per account per usage day where the condition holds.
-#}
with

usage as (

    select * from {{ ref('int_product_usage_account_daily') }}

),

registry as (

    {{ trigger_registry_row('usage_ceiling') }}

),

limit_ratios as (

    select
        account_id,
        usage_date,
        greatest(
            coalesce(events_limit_ratio, 0),
            coalesce(integrations_limit_ratio, 0),
            coalesce(environments_limit_ratio, 0),
            coalesce(storage_limit_ratio, 0)
        ) as highest_limit_ratio
    from usage

),

final as (

    select
        limit_ratios.account_id,
        limit_ratios.usage_date as evaluated_on,
        cast(limit_ratios.highest_limit_ratio as decimal(18, 4)) as signal_value,
        registry.threshold_value
    from limit_ratios
    cross join registry
    where limit_ratios.highest_limit_ratio >= registry.threshold_value

)

select * from final
