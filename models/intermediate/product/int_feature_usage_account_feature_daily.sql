{#-
    Rebuilding recent days (macro incremental_output_window) picks up a
    late-arriving file; no window is computed here, so no further look-back
    is needed.

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

features as (

    select * from {{ ref('stg_product__features') }}

),

output_window as (

    {{ incremental_output_window('usage_date', rebuild_days=3) }}

),

feature_usage_in_window as (

    select
        feature_usage.account_id,
        feature_usage.usage_date,
        feature_usage.feature_id,
        feature_usage.user_id,
        feature_usage.events

    from feature_usage
    cross join output_window
    where
        feature_usage.usage_date >= output_window.first_output_date
        and feature_usage.usage_date <= output_window.last_output_date

),

aggregated_per_feature as (

    select
        account_id,
        usage_date,
        feature_id,
        count(distinct user_id) as active_user_count,
        sum(events) as events

    from feature_usage_in_window
    group by account_id, usage_date, feature_id

),

final as (

    select
        aggregated_per_feature.account_id,
        aggregated_per_feature.usage_date,
        aggregated_per_feature.feature_id,
        coalesce(features.is_core, false) as is_core,
        coalesce(features.is_gated, false) as is_gated,
        features.unlocking_product_id,
        aggregated_per_feature.active_user_count,
        aggregated_per_feature.events

    from aggregated_per_feature
    left join features
        on aggregated_per_feature.feature_id = features.feature_id

)

select * from final
