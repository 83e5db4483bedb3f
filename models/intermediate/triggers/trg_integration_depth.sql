{#-
    Integrations connected today minus the fewest connected on any usage day
    of the last window_value days.
-#}
{%- set window_days = trigger_setting('integration_depth', 'window_value', 30) %}

with

usage as (

    select * from {{ ref('int_product_usage_account_daily') }}

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
        windowed.integrations_connected - windowed.fewest_in_window as signal_value
    from windowed

)

select * from final
