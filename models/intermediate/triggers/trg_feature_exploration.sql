{#-
    Distinct gated features the account does not own (neither the unlocking
    product nor, for a core tier, a higher core tier) used in the last
    window_value days. Gated use by non-owners is rare, so each such use is
    joined to the usage days it counts for (at most window_value of them) -
    no window over the full feature history.
-#}
{%- set window_days = trigger_setting('feature_exploration', 'window_value', 14) %}

with

feature_days as (

    select * from {{ ref('int_feature_usage_account_feature_daily') }}

),

usage as (

    select * from {{ ref('int_product_usage_account_daily') }}

),

owned_lines as (

    select * from {{ ref('int_trigger_owned_lines') }}

),

products as (

    select * from {{ ref('stg_billing__products') }}

),

gated_uses as (

    select
        feature_days.account_id,
        feature_days.usage_date,
        feature_days.feature_id,
        products.product_id as unlocking_product_id,
        products.product_family as unlocking_family,
        products.tier_rank as unlocking_tier_rank
    from feature_days
    inner join products
        on feature_days.unlocking_product_id = products.product_id
    where feature_days.is_gated

),

unowned_uses as (

    select
        gated_uses.account_id,
        gated_uses.usage_date,
        gated_uses.feature_id
    from gated_uses
    left join owned_lines
        on
            gated_uses.account_id = owned_lines.account_id
            and gated_uses.usage_date >= owned_lines.start_date
            and (owned_lines.end_date is null or gated_uses.usage_date < owned_lines.end_date)
            and (
                gated_uses.unlocking_product_id = owned_lines.product_id
                or (
                    gated_uses.unlocking_family = 'core'
                    and owned_lines.product_family = 'core'
                    and gated_uses.unlocking_tier_rank <= owned_lines.tier_rank
                )
            )
    group by
        gated_uses.account_id,
        gated_uses.usage_date,
        gated_uses.feature_id
    having count(owned_lines.subscription_line_id) = 0

),

unowned_use_days as (

    select
        account_id,
        feature_id,
        {{ day_number('usage_date') }} as day_number
    from unowned_uses

),

features_in_window as (

    select
        usage.account_id,
        usage.usage_date,
        count(distinct unowned_use_days.feature_id) as gated_features_used
    from usage
    inner join unowned_use_days
        on
            usage.account_id = unowned_use_days.account_id
            and usage.day_number >= unowned_use_days.day_number
            and usage.day_number - {{ window_days }} < unowned_use_days.day_number
    group by
        usage.account_id,
        usage.usage_date

),

final as (

    select
        features_in_window.account_id,
        features_in_window.usage_date as evaluated_on,
        features_in_window.gated_features_used as signal_value
    from features_in_window

)

select * from final
