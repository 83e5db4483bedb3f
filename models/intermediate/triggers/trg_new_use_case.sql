{#-
    The account starts using a workflow outside the ones it already had: a
    use case (features.use_case) whose first feature event on the account
    falls in the trailing window_value days, on an account that had been
    using features for at least secondary_threshold_value days before that
    first event, so a new account's onboarding is not a "new use case". The
    signal is the number of such use cases in the window, on each calendar
    day of int_product_usage_account_daily from the first use for
    window_value days. Feature rows without a use case are left out.
-#}
{%- set window_days = trigger_setting('new_use_case', 'window_value', 30) %}

with

feature_usage as (

    select * from {{ ref('int_feature_usage_account_feature_daily') }}

),

features as (

    select * from {{ ref('stg_product__features') }}

),

usage as (

    select * from {{ ref('int_product_usage_account_daily') }}

),

registry as (

    {{ trigger_registry_row('new_use_case') }}

),

use_cases_first_used as (

    select
        feature_usage.account_id,
        features.use_case,
        min(feature_usage.usage_date) as first_used_on
    from feature_usage
    inner join features
        on feature_usage.feature_id = features.feature_id
    where
        feature_usage.events > 0
        and features.use_case is not null
    group by
        feature_usage.account_id,
        features.use_case

),

accounts_first_used as (

    select
        account_id,
        min(first_used_on) as account_first_used_on
    from use_cases_first_used
    group by account_id

),

new_use_cases as (

    select
        use_cases_first_used.account_id,
        {{ day_number('use_cases_first_used.first_used_on') }}  -- noqa: LT05
            as first_used_day_number
    from use_cases_first_used
    inner join accounts_first_used
        on use_cases_first_used.account_id = accounts_first_used.account_id
    cross join registry
    where
        {{ day_number('use_cases_first_used.first_used_on') }}
        - {{ day_number('accounts_first_used.account_first_used_on') }}
        >= registry.secondary_threshold_value

),

new_use_cases_in_window as (

    select
        usage.account_id,
        usage.usage_date,
        count(*) as new_use_cases
    from usage
    inner join new_use_cases
        on
            usage.account_id = new_use_cases.account_id
            and usage.day_number >= new_use_cases.first_used_day_number
            and usage.day_number - {{ window_days }} < new_use_cases.first_used_day_number
    group by
        usage.account_id,
        usage.usage_date

),

final as (

    select
        account_id,
        usage_date as evaluated_on,
        new_use_cases as signal_value
    from new_use_cases_in_window

)

select * from final
