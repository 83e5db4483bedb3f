{#-
    One row per account per usage day (the days the account has a usage_daily
    row): the day's usage against what the account pays for that day, and
    the trailing-window usage features the health score, the readiness gate,
    the readiness scores and the trigger library read.

    Point in time: a day D reads only usage on or before D, subscription
    lines with start_date <= D < end_date, users created on or before D.

    Set-based windows over an integer day number (no correlated subqueries):
      - rolling sums: `range between 29 preceding and current row`;
      - "distinct features / departments used in the last 30 days": every use
        of a feature opens an interval [day, min(next use, day + 30)); +1 / -1
        deltas at the interval ends, summed cumulatively, count the distinct
        features whose latest use is within 30 days - no count(distinct) over a
        window;
      - users to date: a cumulative sum of users created per day.

    Incremental (macro incremental_output_window): output days from (latest
    built day - 3) on; inputs are read from 60 days earlier, the longest
    window (prior 30 days of the 30-day engagement trend).
-#}
{{
    config(
        materialized='incremental',
        incremental_strategy='delete+insert',
        unique_key=['account_id', 'usage_date'],
        on_schema_change='fail',
    )
}}

{%- set window_days = 30 %}
{%- set history_days = 2 * window_days %}
{%- set day_number_origin = "cast('2000-01-01' as date)" %}

with

usage_daily as (

    select * from {{ ref('stg_product__usage_daily') }}

),

feature_usage as (

    select * from {{ ref('int_feature_usage_account_feature_daily') }}

),

department_usage as (

    select * from {{ ref('int_department_usage_account_daily') }}

),

subscription_lines as (

    select * from {{ ref('stg_billing__subscriptions') }}

),

products as (

    select * from {{ ref('stg_billing__products') }}

),

features as (

    select * from {{ ref('stg_product__features') }}

),

users as (

    select * from {{ ref('stg_product__users') }}

),

fx_rates as (

    select * from {{ ref('stg_billing__fx_rates') }}

),

output_window as (

    {{ incremental_output_window('usage_date', rebuild_days=3, read_back_days=history_days) }}

),

core_feature_catalogue as (

    select count(*) as core_feature_count
    from features
    where is_core

),

-- every usage row in the read window, numbered by day
usage_days as (

    select
        usage_daily.account_id,
        usage_daily.usage_date,
        {{ dbt.datediff(
            day_number_origin, 'usage_daily.usage_date', 'day'
        ) }} as day_number,
        usage_daily.active_users,
        usage_daily.events,
        usage_daily.api_calls,
        usage_daily.storage_gb,
        usage_daily.integrations_connected,
        usage_daily.environments

    from usage_daily
    cross join output_window
    where
        usage_daily.usage_date >= output_window.first_read_date
        and usage_daily.usage_date <= output_window.last_output_date

),

usage_windows_summed as (

    select
        account_id,
        usage_date,
        day_number,
        active_users,
        events,
        api_calls,
        storage_gb,
        integrations_connected,
        environments,
        sum(events) over (
            partition by account_id order by day_number
            range between 29 preceding and current row
        ) as events_30d,
        sum(api_calls) over (
            partition by account_id order by day_number
            range between 29 preceding and current row
        ) as api_calls_30d,
        avg(active_users) over (
            partition by account_id order by day_number
            range between 29 preceding and current row
        ) as active_users_avg_30d,
        count(*) over (
            partition by account_id order by day_number
            range between 29 preceding and current row
        ) as usage_days_30d,
        sum(events) over (
            partition by account_id order by day_number
            range between 59 preceding and 30 preceding
        ) as events_prior_30d,
        count(*) over (
            partition by account_id order by day_number
            range between 59 preceding and 30 preceding
        ) as usage_days_prior_30d

    from usage_days

),

-- subscription lines paid for on each usage day
lines_on_usage_days as (

    select
        usage_days.account_id,
        usage_days.usage_date,
        products.product_family,
        products.tier_rank,
        subscription_lines.quantity,
        subscription_lines.currency_code,
        subscription_lines.arr_local,
        -- plan limits are per plan for seat-priced products, per pack otherwise
        case
            when products.billing_unit = 'seat' then 1
            else subscription_lines.quantity
        end as limit_multiplier,
        products.limit_events_monthly,
        products.limit_integrations,
        products.limit_environments,
        products.limit_storage_gb

    from usage_days
    inner join subscription_lines
        on
            usage_days.account_id = subscription_lines.account_id
            and usage_days.usage_date >= subscription_lines.start_date
            and (
                subscription_lines.end_date is null
                or usage_days.usage_date < subscription_lines.end_date
            )
    left join products
        on subscription_lines.product_id = products.product_id

),

lines_converted_on_usage_days as (

    select
        lines_on_usage_days.*,
        lines_on_usage_days.arr_local * case
            when lines_on_usage_days.currency_code = 'USD' then 1
            else fx_rates.usd_per_unit
        end as arr_usd

    from lines_on_usage_days
    left join fx_rates
        on
            lines_on_usage_days.currency_code = fx_rates.currency_code
            and lines_on_usage_days.usage_date = fx_rates.rate_date

),

entitlements_per_day as (

    select
        account_id,
        usage_date,
        sum(case when product_family = 'core' then quantity else 0 end) as paid_seats,
        max(case when product_family = 'core' then tier_rank end) as core_tier_rank,
        sum(limit_events_monthly * limit_multiplier) as limit_events_monthly,
        sum(limit_integrations * limit_multiplier) as limit_integrations,
        sum(limit_environments * limit_multiplier) as limit_environments,
        sum(limit_storage_gb * limit_multiplier) as limit_storage_gb,
        sum(arr_usd) as arr_usd

    from lines_converted_on_usage_days
    group by account_id, usage_date

),

-- distinct features used in the trailing 30 days, by interval deltas
feature_use_intervals as (

    select
        feature_usage.account_id,
        feature_usage.is_core,
        {{ dbt.datediff(
            day_number_origin, 'feature_usage.usage_date', 'day'
        ) }} as day_number,
        lead({{ dbt.datediff(day_number_origin, 'feature_usage.usage_date', 'day') }}) over (
            partition by feature_usage.account_id, feature_usage.feature_id
            order by feature_usage.usage_date
        ) as next_use_day_number

    from feature_usage
    cross join output_window
    where
        feature_usage.usage_date >= output_window.first_read_date
        and feature_usage.usage_date <= output_window.last_output_date

),

department_use_intervals as (

    select
        department_usage.account_id,
        {{ dbt.datediff(
            day_number_origin, 'department_usage.usage_date', 'day'
        ) }} as day_number,
        lead({{ dbt.datediff(day_number_origin, 'department_usage.usage_date', 'day') }}) over (
            partition by department_usage.account_id, department_usage.department
            order by department_usage.usage_date
        ) as next_use_day_number

    from department_usage
    cross join output_window
    where
        department_usage.usage_date >= output_window.first_read_date
        and department_usage.usage_date <= output_window.last_output_date

),

users_created as (

    select
        users.account_id,
        {{ dbt.datediff(
            day_number_origin, 'cast(users.created_at as date)', 'day'
        ) }} as day_number

    from users
    cross join output_window
    where cast(users.created_at as date) <= output_window.last_output_date

),

coverage_deltas as (

    select
        account_id,
        day_number,
        case when is_core then 1 else 0 end as core_feature_delta,
        1 as feature_delta,
        0 as department_delta,
        0 as user_delta
    from feature_use_intervals

    union all

    select
        account_id,
        {{ window_exit_day('day_number', 'next_use_day_number', window_days) }} as day_number,
        case when is_core then -1 else 0 end as core_feature_delta,
        -1 as feature_delta,
        0 as department_delta,
        0 as user_delta
    from feature_use_intervals

    union all

    select
        account_id,
        day_number,
        0 as core_feature_delta,
        0 as feature_delta,
        1 as department_delta,
        0 as user_delta
    from department_use_intervals

    union all

    select
        account_id,
        {{ window_exit_day('day_number', 'next_use_day_number', window_days) }} as day_number,
        0 as core_feature_delta,
        0 as feature_delta,
        -1 as department_delta,
        0 as user_delta
    from department_use_intervals

    union all

    select
        account_id,
        day_number,
        0 as core_feature_delta,
        0 as feature_delta,
        0 as department_delta,
        1 as user_delta
    from users_created

    union all

    -- a zero row on every usage day, so that each gets its running totals
    select
        account_id,
        day_number,
        0 as core_feature_delta,
        0 as feature_delta,
        0 as department_delta,
        0 as user_delta
    from usage_days

),

coverage_deltas_per_day as (

    select
        account_id,
        day_number,
        sum(core_feature_delta) as core_feature_delta,
        sum(feature_delta) as feature_delta,
        sum(department_delta) as department_delta,
        sum(user_delta) as user_delta

    from coverage_deltas
    group by account_id, day_number

),

coverage_running as (

    select
        account_id,
        day_number,
        sum(core_feature_delta) over (
            partition by account_id order by day_number
            rows between unbounded preceding and current row
        ) as core_features_used_30d,
        sum(feature_delta) over (
            partition by account_id order by day_number
            rows between unbounded preceding and current row
        ) as features_used_30d,
        sum(department_delta) over (
            partition by account_id order by day_number
            rows between unbounded preceding and current row
        ) as departments_active_30d,
        sum(user_delta) over (
            partition by account_id order by day_number
            rows between unbounded preceding and current row
        ) as users_to_date

    from coverage_deltas_per_day

),

joined as (

    select
        usage_windows_summed.account_id,
        usage_windows_summed.usage_date,
        usage_windows_summed.day_number,
        usage_windows_summed.active_users,
        usage_windows_summed.events,
        usage_windows_summed.api_calls,
        usage_windows_summed.storage_gb,
        usage_windows_summed.integrations_connected,
        usage_windows_summed.environments,
        usage_windows_summed.events_30d,
        usage_windows_summed.usage_days_30d,
        usage_windows_summed.api_calls_30d,
        cast(usage_windows_summed.active_users_avg_30d as decimal(18, 4)) as active_users_avg_30d,
        -- the prior window is null until the account has usage in it
        case
            when usage_windows_summed.usage_days_prior_30d > 0
                then usage_windows_summed.events_prior_30d
        end as events_prior_30d,
        usage_windows_summed.usage_days_prior_30d,
        coalesce(entitlements_per_day.paid_seats, 0) as paid_seats,
        entitlements_per_day.core_tier_rank,
        entitlements_per_day.limit_events_monthly,
        entitlements_per_day.limit_integrations,
        entitlements_per_day.limit_environments,
        entitlements_per_day.limit_storage_gb,
        cast(entitlements_per_day.arr_usd as decimal(18, 2)) as arr_usd,
        coverage_running.core_features_used_30d,
        core_feature_catalogue.core_feature_count,
        coverage_running.features_used_30d,
        coverage_running.departments_active_30d,
        coverage_running.users_to_date

    from usage_windows_summed
    cross join core_feature_catalogue
    left join entitlements_per_day
        on
            usage_windows_summed.account_id = entitlements_per_day.account_id
            and usage_windows_summed.usage_date = entitlements_per_day.usage_date
    left join coverage_running
        on
            usage_windows_summed.account_id = coverage_running.account_id
            and usage_windows_summed.day_number = coverage_running.day_number

),

ratios_computed as (

    select
        *,
        cast(active_users as decimal(18, 4)) / nullif(paid_seats, 0) as active_user_seat_ratio,
        cast(active_users as decimal(18, 4)) / nullif(users_to_date, 0) as weekly_active_user_ratio,
        cast(core_features_used_30d as decimal(18, 4))
        / nullif(core_feature_count, 0) as core_feature_adoption_ratio,
        cast(events_30d as decimal(18, 4)) / nullif(limit_events_monthly, 0) as events_limit_ratio,
        cast(integrations_connected as decimal(18, 4))
        / nullif(limit_integrations, 0) as integrations_limit_ratio,
        cast(environments as decimal(18, 4))
        / nullif(limit_environments, 0) as environments_limit_ratio,
        cast(storage_gb as decimal(18, 4)) / nullif(limit_storage_gb, 0) as storage_limit_ratio

    from joined

),

evaluated as (

    select
        *,
        -- the most used share of anything the account pays for: seats or a plan limit
        case
            when
                coalesce(active_user_seat_ratio, -1) >= coalesce(events_limit_ratio, -1)
                and coalesce(active_user_seat_ratio, -1) >= coalesce(integrations_limit_ratio, -1)
                and coalesce(active_user_seat_ratio, -1) >= coalesce(environments_limit_ratio, -1)
                and coalesce(active_user_seat_ratio, -1) >= coalesce(storage_limit_ratio, -1)
                and active_user_seat_ratio is not null
                then 'seats'
            when
                coalesce(events_limit_ratio, -1) >= coalesce(integrations_limit_ratio, -1)
                and coalesce(events_limit_ratio, -1) >= coalesce(environments_limit_ratio, -1)
                and coalesce(events_limit_ratio, -1) >= coalesce(storage_limit_ratio, -1)
                and events_limit_ratio is not null
                then 'events'
            when
                coalesce(integrations_limit_ratio, -1) >= coalesce(environments_limit_ratio, -1)
                and coalesce(integrations_limit_ratio, -1) >= coalesce(storage_limit_ratio, -1)
                and integrations_limit_ratio is not null
                then 'integrations'
            when
                coalesce(environments_limit_ratio, -1) >= coalesce(storage_limit_ratio, -1)
                and environments_limit_ratio is not null
                then 'environments'
            when storage_limit_ratio is not null then 'storage'
        end as capacity_binding_dimension

    from ratios_computed

),

final as (

    select
        evaluated.account_id,
        evaluated.usage_date,
        evaluated.day_number,
        evaluated.active_users,
        evaluated.events,
        evaluated.api_calls,
        evaluated.storage_gb,
        evaluated.integrations_connected,
        evaluated.environments,
        cast(evaluated.events_30d as {{ dbt.type_bigint() }}) as events_30d,
        cast(evaluated.usage_days_30d as {{ dbt.type_bigint() }}) as usage_days_30d,
        cast(evaluated.events_prior_30d as {{ dbt.type_bigint() }}) as events_prior_30d,
        cast(evaluated.usage_days_prior_30d as {{ dbt.type_bigint() }}) as usage_days_prior_30d,
        cast(evaluated.api_calls_30d as {{ dbt.type_bigint() }}) as api_calls_30d,
        evaluated.active_users_avg_30d,
        cast(evaluated.users_to_date as {{ dbt.type_bigint() }}) as users_to_date,
        cast(evaluated.paid_seats as {{ dbt.type_bigint() }}) as paid_seats,
        evaluated.core_tier_rank,
        evaluated.arr_usd,
        cast(evaluated.limit_events_monthly as {{ dbt.type_bigint() }}) as limit_events_monthly,
        cast(evaluated.limit_integrations as {{ dbt.type_bigint() }}) as limit_integrations,
        cast(evaluated.limit_environments as {{ dbt.type_bigint() }}) as limit_environments,
        cast(evaluated.limit_storage_gb as decimal(18, 4)) as limit_storage_gb,
        cast(evaluated.active_user_seat_ratio as decimal(18, 4)) as active_user_seat_ratio,
        cast(evaluated.weekly_active_user_ratio as decimal(18, 4)) as weekly_active_user_ratio,
        cast(evaluated.events_limit_ratio as decimal(18, 4)) as events_limit_ratio,
        cast(evaluated.integrations_limit_ratio as decimal(18, 4)) as integrations_limit_ratio,
        cast(evaluated.environments_limit_ratio as decimal(18, 4)) as environments_limit_ratio,
        cast(evaluated.storage_limit_ratio as decimal(18, 4)) as storage_limit_ratio,
        evaluated.capacity_binding_dimension,
        cast(
            case evaluated.capacity_binding_dimension
                when 'seats' then evaluated.active_user_seat_ratio
                when 'events' then evaluated.events_limit_ratio
                when 'integrations' then evaluated.integrations_limit_ratio
                when 'environments' then evaluated.environments_limit_ratio
                when 'storage' then evaluated.storage_limit_ratio
            end as decimal(18, 4)
        ) as usage_capacity_ratio,
        cast(
            coalesce(evaluated.core_features_used_30d, 0) as {{ dbt.type_bigint() }}
        ) as core_features_used_30d,
        evaluated.core_feature_count,
        cast(
            evaluated.core_feature_adoption_ratio as decimal(18, 4)
        ) as core_feature_adoption_ratio,
        cast(
            coalesce(evaluated.features_used_30d, 0) as {{ dbt.type_bigint() }}
        ) as features_used_30d,
        cast(
            coalesce(evaluated.departments_active_30d, 0) as {{ dbt.type_bigint() }}
        ) as departments_active_30d

    from evaluated
    cross join output_window
    where evaluated.usage_date >= output_window.first_output_date

)

select * from final
