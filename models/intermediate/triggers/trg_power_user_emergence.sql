{#-
    power_user_emergence: a user created in the last window_value days whose
    feature events since creation reach the threshold multiple of the
    account's average 30-day engagement: the account's feature events in the
    last window_value days divided by the users who had feature events in
    them (engaged users, counted exactly by +1/-1 deltas at the ends of each
    user's 30-day activity intervals). Averaging over engaged users, not
    weekly active users, keeps a large account whose tracked feature events
    are sparse from reading any new user's few events as a multiple.

    "New" is relative to an established team: only users created at least
    window_value days after the account's first user count. In an account's
    first month every user is new and the few first users carry all of its
    engagement, which says nothing about a department emerging.

    Evaluated on the new user's active days; the signal is the highest
    multiple among the account's new users that day.
    One row per account, threshold
    (trigger_thresholds) and day where the condition holds.
-#}
{%- set window_days = trigger_setting('power_user_emergence', 'window_value', 30) %}

with

users as (

    select * from {{ ref('stg_product__users') }}

),

user_feature_usage as (

    select * from {{ ref('stg_product__feature_usage_daily') }}

),

thresholds as (

    {{ trigger_thresholds('power_user_emergence') }}

),

users_numbered as (

    select
        user_id,
        account_id,
        {{ trigger_day_number('cast(created_at as date)') }} as created_day_number  -- noqa: LT05
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

user_days as (

    select
        account_id,
        user_id,
        usage_date,
        {{ trigger_day_number('usage_date') }} as day_number,
        sum(events) as events
    from user_feature_usage
    group by
        account_id,
        user_id,
        usage_date

),

user_use_intervals as (

    select
        account_id,
        day_number,
        lead(day_number) over (
            partition by account_id, user_id order by day_number
        ) as next_use_day_number
    from user_days

),

engaged_user_deltas as (

    select
        account_id,
        day_number,
        1 as engaged_delta
    from user_use_intervals

    union all

    select
        account_id,
        {{ window_exit_day('day_number', 'next_use_day_number', window_days) }} as day_number,
        -1 as engaged_delta
    from user_use_intervals

),

engaged_deltas_per_day as (

    select
        account_id,
        day_number,
        sum(engaged_delta) as engaged_delta
    from engaged_user_deltas
    group by
        account_id,
        day_number

),

engaged_users as (

    select
        account_id,
        day_number,
        sum(engaged_delta) over (
            partition by account_id order by day_number
            rows between unbounded preceding and current row
        ) as engaged_users_30d
    from engaged_deltas_per_day

),

account_days as (

    select
        account_id,
        usage_date,
        day_number,
        sum(events) as events
    from user_days
    group by
        account_id,
        usage_date,
        day_number

),

account_events as (

    select
        account_id,
        usage_date,
        day_number,
        sum(events) over (
            partition by account_id order by day_number
            range between {{ window_days - 1 }} preceding and current row
        ) as feature_events_30d
    from account_days

),

account_average as (

    select
        account_events.account_id,
        account_events.usage_date,
        account_events.feature_events_30d,
        engaged_users.engaged_users_30d
    from account_events
    inner join engaged_users
        on
            account_events.account_id = engaged_users.account_id
            and account_events.day_number = engaged_users.day_number

),

new_user_days as (

    select
        user_days.account_id,
        user_days.user_id,
        user_days.usage_date,
        user_days.day_number,
        user_days.events
    from user_days
    inner join new_users
        on
            user_days.user_id = new_users.user_id
            and user_days.account_id = new_users.account_id
    where
        user_days.day_number >= new_users.created_day_number
        and user_days.day_number < new_users.created_day_number + {{ window_days }}

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
            cast(new_user_events_to_date.events_since_created as decimal(18, 4))
            / (
                cast(account_average.feature_events_30d as decimal(18, 4))
                / account_average.engaged_users_30d
            )
        ) as engagement_multiple
    from new_user_events_to_date
    inner join account_average
        on
            new_user_events_to_date.account_id = account_average.account_id
            and new_user_events_to_date.usage_date = account_average.usage_date
    where account_average.engaged_users_30d > 0 and account_average.feature_events_30d > 0
    group by
        new_user_events_to_date.account_id,
        new_user_events_to_date.usage_date

),

final as (

    select
        multiples.account_id,
        multiples.usage_date as evaluated_on,
        cast(multiples.engagement_multiple as decimal(18, 4)) as signal_value,
        thresholds.threshold_value
    from multiples
    cross join thresholds
    where
        multiples.engagement_multiple >= thresholds.threshold_value
        and multiples.usage_date
        between thresholds.evaluated_from and thresholds.evaluated_through

)

select * from final
