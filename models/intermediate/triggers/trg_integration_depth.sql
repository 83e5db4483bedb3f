{#-
    integration_depth: integrations connected today minus the fewest
    connected on any usage day of the last window_value days reaches the
    threshold (3+ new integrations in 30 days).
    One row per account, threshold
    (trigger_thresholds) and usage day where the condition holds.
-#}
{%- set window_days = trigger_setting('integration_depth', 'window_value', 30) %}

with

usage as (

    select * from {{ ref('int_product_usage_account_daily') }}

),

thresholds as (

    {{ trigger_thresholds('integration_depth') }}

),

windowed as (

    select
        account_id,
        usage_date,
        integrations_connected,
        min(integrations_connected) over (
            partition by account_id
            order by day_number
            range between {{ window_days - 1 }} preceding and current row
        ) as fewest_in_window
    from usage
    where integrations_connected is not null

),

final as (

    select
        windowed.account_id,
        windowed.usage_date as evaluated_on,
        cast(
            windowed.integrations_connected - windowed.fewest_in_window as decimal(18, 4)
        ) as signal_value,
        thresholds.threshold_value
    from windowed
    cross join thresholds
    where
        windowed.integrations_connected - windowed.fewest_in_window >= thresholds.threshold_value
        and windowed.usage_date
        between thresholds.evaluated_from and thresholds.evaluated_through

)

select * from final
