{#-
    api_growth: API calls in the last 30 days against the 30 days ending
    window_value month(s) earlier (the api_calls_30d of that day) grew by the
    threshold (0.40 = +40%). Needs a usage row on the earlier day with API
    calls. One row per account per usage day where the condition holds.
-#}
{%- set window_months = trigger_setting('api_growth', 'window_value', 1) %}

with

usage as (

    select * from {{ ref('int_product_usage_account_daily') }}

),

registry as (

    {{ trigger_registry_row('api_growth') }}

),

with_comparison_day as (

    select
        account_id,
        usage_date,
        api_calls_30d,
        cast({{ dbt.dateadd('month', -window_months, 'usage_date') }} as date) as comparison_date
    from usage

),

growth as (

    select
        with_comparison_day.account_id,
        with_comparison_day.usage_date,
        cast(with_comparison_day.api_calls_30d as decimal(18, 4))
        / earlier.api_calls_30d - 1 as api_call_growth
    from with_comparison_day
    inner join usage as earlier
        on
            with_comparison_day.account_id = earlier.account_id
            and with_comparison_day.comparison_date = earlier.usage_date
    where earlier.api_calls_30d > 0

),

final as (

    select
        growth.account_id,
        growth.usage_date as evaluated_on,
        cast(growth.api_call_growth as decimal(18, 4)) as signal_value,
        registry.threshold_value
    from growth
    cross join registry
    where growth.api_call_growth >= registry.threshold_value

)

select * from final
