{#-
    Users without a department count as 'unknown'.

    unique_key is the day, not the full grain: delete+insert then replaces
    whole days (as Spark's insert_overwrite of the day's partition does), so a
    key that no longer occurs in a re-delivered day (a user moved to another
    department, a feature row removed) cannot survive as a stale row. Days
    before the rebuild window keep the attribution they were built with (the
    users snapshot as known then). The grain's uniqueness is a data test.
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


with

feature_usage as (

    select * from {{ ref('stg_product__feature_usage_daily') }}

),

users as (

    select * from {{ ref('stg_product__users') }}

),

output_window as (

    {{ incremental_output_window('usage_date', rebuild_days=3) }}

),

feature_usage_in_window as (

    select
        feature_usage.account_id,
        feature_usage.usage_date,
        feature_usage.user_id,
        feature_usage.events

    from feature_usage
    cross join output_window
    where
        feature_usage.usage_date >= output_window.first_output_date
        and feature_usage.usage_date <= output_window.last_output_date

),

usage_with_department as (

    select
        feature_usage_in_window.account_id,
        feature_usage_in_window.usage_date,
        coalesce(users.department, 'unknown') as department,
        feature_usage_in_window.user_id,
        feature_usage_in_window.events

    from feature_usage_in_window
    left join users
        on feature_usage_in_window.user_id = users.user_id

),

final as (

    select
        account_id,
        usage_date,
        department,
        count(distinct user_id) as active_user_count,
        sum(events) as events

    from usage_with_department
    group by account_id, usage_date, department

)

select * from final
