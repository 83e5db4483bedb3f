{#-
    power_user_emergence: a user created in the last window_value days whose
    feature events since creation reach the threshold multiple of the
    account's average events per active user over the last 30 days
    (feature events in 30 days / average weekly active users in 30 days).
    Evaluated on the new user's active days; only rows of users younger
    than the window are read from the per-user feature usage. The signal is
    the highest multiple among the new users.
    One row per account per usage day where the condition holds.
-#}
{%- set window_days = trigger_setting('power_user_emergence', 'window_value', 30) %}

with

users as (

    select * from {{ ref('stg_product__users') }}

),

user_feature_usage as (

    select * from {{ ref('stg_product__feature_usage_daily') }}

),

feature_days as (

    select * from {{ ref('int_feature_usage_account_feature_daily') }}

),

usage as (

    select * from {{ ref('int_product_usage_account_daily') }}

),

registry as (

    {{ trigger_registry_row('power_user_emergence') }}

),

new_users as (

    select
        user_id,
        account_id,
        {{ trigger_day_number('cast(created_at as date)') }} as created_day_number  -- noqa: LT05
    from users

),

new_user_days as (

    select
        user_feature_usage.account_id,
        user_feature_usage.user_id,
        user_feature_usage.usage_date,
        sum(user_feature_usage.events) as events
    from user_feature_usage
    inner join new_users
        on
            user_feature_usage.user_id = new_users.user_id
            and user_feature_usage.account_id = new_users.account_id
    where
        {{ trigger_day_number('user_feature_usage.usage_date') }} >= new_users.created_day_number  -- noqa: LT05
        and {{ trigger_day_number('user_feature_usage.usage_date') }}
        < new_users.created_day_number + {{ window_days }}
    group by
        user_feature_usage.account_id,
        user_feature_usage.user_id,
        user_feature_usage.usage_date

),

new_user_events_to_date as (

    select
        account_id,
        user_id,
        usage_date,
        sum(events) over (
            partition by account_id, user_id
            order by usage_date
            rows between unbounded preceding and current row
        ) as events_since_created
    from new_user_days

),

account_feature_days as (

    select
        account_id,
        usage_date,
        sum(events) as events
    from feature_days
    group by
        account_id,
        usage_date

),

account_average as (

    select
        usage.account_id,
        usage.usage_date,
        usage.day_number,
        usage.active_users_avg_30d,
        sum(coalesce(account_feature_days.events, 0)) over (
            partition by usage.account_id
            order by usage.day_number
            range between 29 preceding and current row
        ) as feature_events_30d
    from usage
    left join account_feature_days
        on
            usage.account_id = account_feature_days.account_id
            and usage.usage_date = account_feature_days.usage_date

),

multiples as (

    select
        new_user_events_to_date.account_id,
        new_user_events_to_date.usage_date,
        max(
            cast(new_user_events_to_date.events_since_created as decimal(18, 4))
            / (
                cast(account_average.feature_events_30d as decimal(18, 4))
                / account_average.active_users_avg_30d
            )
        ) as engagement_multiple
    from new_user_events_to_date
    inner join account_average
        on
            new_user_events_to_date.account_id = account_average.account_id
            and new_user_events_to_date.usage_date = account_average.usage_date
    where account_average.active_users_avg_30d > 0 and account_average.feature_events_30d > 0
    group by
        new_user_events_to_date.account_id,
        new_user_events_to_date.usage_date

),

final as (

    select
        multiples.account_id,
        multiples.usage_date as evaluated_on,
        cast(multiples.engagement_multiple as decimal(18, 4)) as signal_value,
        registry.threshold_value
    from multiples
    cross join registry
    where multiples.engagement_multiple >= registry.threshold_value

)

select * from final
