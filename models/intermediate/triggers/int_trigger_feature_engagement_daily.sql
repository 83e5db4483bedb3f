{#-
    Engaged users are counted exactly by +1/-1 deltas at the ends of each
    user's activity intervals. trg_power_user_emergence compares a new user's
    events with feature_events / engaged_users.

    Incremental (macro incremental_output_window): every use that counts for
    an output day lies in what is read, and a use before it has left the
    window of every output day, so the running count of engaged users started
    there is exact from the first output day on. A night then reads one window
    of feature usage instead of the whole history.
-#}
{{
    config(
        materialized='incremental',
        incremental_strategy=incremental_strategy_by_day(),
        unique_key='usage_date',
        partition_by=incremental_partition_by_day('usage_date'),
        on_schema_change='fail',
    )
}}
{%- set window_days = trigger_setting('power_user_emergence', 'window_value', 30) %}

with

user_feature_usage as (

    select * from {{ ref('stg_product__feature_usage_daily') }}

),

output_window as (

    {{ incremental_output_window('usage_date', rebuild_days=3, read_back_days=window_days - 1) }}

),

user_days as (

    select
        user_feature_usage.account_id,
        user_feature_usage.user_id,
        user_feature_usage.usage_date,
        {{ day_number('user_feature_usage.usage_date') }} as day_number,  -- noqa: LT05
        sum(user_feature_usage.events) as events
    from user_feature_usage
    cross join output_window
    where
        user_feature_usage.usage_date >= output_window.first_read_date
        and user_feature_usage.usage_date <= output_window.last_output_date
    group by
        user_feature_usage.account_id,
        user_feature_usage.user_id,
        user_feature_usage.usage_date

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
        ) as engaged_users
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
        ) as feature_events
    from account_days

),

final as (

    select
        account_events.account_id,
        account_events.usage_date,
        cast(account_events.feature_events as {{ dbt.type_bigint() }}) as feature_events,
        cast(engaged_users.engaged_users as {{ dbt.type_bigint() }}) as engaged_users
    from account_events
    inner join engaged_users
        on
            account_events.account_id = engaged_users.account_id
            and account_events.day_number = engaged_users.day_number
    cross join output_window
    where account_events.usage_date >= output_window.first_output_date

)

select * from final
