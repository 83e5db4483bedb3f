{#-
    A user created in the last window_value days whose feature events since
    creation reach the threshold multiple of the account's average
    engagement: the account's feature events in the last window_value days
    divided by the users who had feature events in them (engaged users;
    int_trigger_feature_engagement_daily, built incrementally). Averaging
    over engaged users, not weekly active users, keeps a large account whose
    tracked feature events are sparse from reading any new user's few events
    as a multiple.

    "New" is relative to an established team: only users created at least
    window_value days after the account's first user count. In an account's
    first month every user is new and the few first users carry all of its
    engagement, which says nothing about a department emerging.

    Evaluated on the new user's active days; the signal is the highest
    multiple among the account's new users that day.
-#}
{%- set window_days = trigger_setting('power_user_emergence', 'window_value', 30) %}

with

users as (

    select * from {{ ref('stg_product__users') }}

),

user_feature_usage as (

    select * from {{ ref('stg_product__feature_usage_daily') }}

),

account_engagement as (

    select * from {{ ref('int_trigger_feature_engagement_daily') }}

),

users_numbered as (

    select
        user_id,
        account_id,
        {{ day_number('cast(created_at as date)') }} as created_day_number  -- noqa: LT05
    from users

),

users_with_first_day as (

    select
        user_id,
        account_id,
        created_day_number,
        min(created_day_number) over (partition by account_id) as first_user_day_number
    from users_numbered

),

new_users as (

    select
        user_id,
        account_id,
        created_day_number
    from users_with_first_day
    where created_day_number >= first_user_day_number + {{ window_days }}

),

new_user_days as (

    select
        user_feature_usage.account_id,
        user_feature_usage.user_id,
        user_feature_usage.usage_date,
        {{ day_number('user_feature_usage.usage_date') }} as day_number,  -- noqa: LT05
        sum(user_feature_usage.events) as events
    from user_feature_usage
    inner join new_users
        on
            user_feature_usage.user_id = new_users.user_id
            and user_feature_usage.account_id = new_users.account_id
    where
        {{ day_number('user_feature_usage.usage_date') }}
        >= new_users.created_day_number
        and {{ day_number('user_feature_usage.usage_date') }}
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
            order by day_number
            rows between unbounded preceding and current row
        ) as events_since_created
    from new_user_days

),

multiples as (

    select
        new_user_events_to_date.account_id,
        new_user_events_to_date.usage_date,
        max(
            cast(new_user_events_to_date.events_since_created as {{ type_decimal() }})
            / (
                cast(account_engagement.feature_events as {{ type_decimal() }})
                / account_engagement.engaged_users
            )
        ) as engagement_multiple
    from new_user_events_to_date
    inner join account_engagement
        on
            new_user_events_to_date.account_id = account_engagement.account_id
            and new_user_events_to_date.usage_date = account_engagement.usage_date
    where account_engagement.engaged_users > 0 and account_engagement.feature_events > 0
    group by
        new_user_events_to_date.account_id,
        new_user_events_to_date.usage_date

),

final as (

    select
        multiples.account_id,
        multiples.usage_date as evaluated_on,
        multiples.engagement_multiple as signal_value
    from multiples

)

select * from final
