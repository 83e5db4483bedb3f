{#-
    A held value (storage, integrations, environments) is carried for
    window_days, then is unknown (null).

    Point in time: a day D reads only usage on or before D, subscription
    lines with start_date <= D < end_date, users created on or before D,
    and the latest fx rate on or before D (int_fx_rates_daily).

    Set-based windows over an integer day number (no correlated subqueries):
      - rolling sums over calendar days: `range between ... preceding and
        current row`;
      - distinct features / departments used in a window: every use of a
        feature opens an interval [day, min(next use, day + window)); +1 / -1
        deltas at the interval ends, summed cumulatively, count the distinct
        features whose latest use is within the window - no count(distinct)
        over a window;
      - users to date: a cumulative sum of users created per day;
      - the last reported storage, integrations and environments: the value
        of the running group started by each reported day.

    Plan limits are reported as they are; which of them count as capacity
    (a limit of 1 does not) is decided by macro plan_limit_counts, where
    the limits are compared with a threshold (readiness inputs, the
    usage_ceiling trigger).

    Incremental (macro incremental_output_window): inputs are read back as
    far as the longest window (the prior window of the engagement trend).
-#}
{{
    config(
        materialized='incremental',
        incremental_strategy=incremental_strategy_by_day(),
        unique_key=['account_id', 'usage_date'],
        partition_by=incremental_partition_by_day('usage_date'),
        on_schema_change='fail',
    )
}}

{%- set window_days = 30 %}
{%- set history_days = 2 * window_days %}

with

account_days as (

    select * from {{ ref('int_account_days') }}

),

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

    select * from {{ ref('int_fx_rates_daily') }}

),

output_window as (

    {{ incremental_output_window('usage_date', rebuild_days=3, read_back_days=history_days) }}

),

core_feature_catalogue as (

    select count(*) as core_feature_count
    from features
    where is_core

),

-- every active day in the read window, numbered, with its usage (0 when unreported)
usage_days as (

    select
        account_days.account_id,
        account_days.usage_date,
        {{ day_number('account_days.usage_date') }} as day_number,  -- noqa: LT05
        account_days.has_usage_row,
        coalesce(usage_daily.active_users, 0) as active_users,
        coalesce(usage_daily.events, 0) as events,
        coalesce(usage_daily.api_calls, 0) as api_calls,
        usage_daily.storage_gb as reported_storage_gb,
        usage_daily.integrations_connected as reported_integrations_connected,
        usage_daily.environments as reported_environments

    from account_days
    cross join output_window
    left join usage_daily
        on
            account_days.account_id = usage_daily.account_id
            and account_days.usage_date = usage_daily.usage_date
    where
        account_days.usage_date >= output_window.first_read_date
        and account_days.usage_date <= output_window.last_output_date

),

-- a reported day starts a group that the dark days after it share
holdings_grouped as (

    select
        usage_days.*,
        sum(case when usage_days.has_usage_row then 1 else 0 end) over (
            partition by usage_days.account_id order by usage_days.day_number
            rows between unbounded preceding and current row
        ) as report_group

    from usage_days

),

holdings_carried as (

    select
        holdings_grouped.*,
        max(
            case when holdings_grouped.has_usage_row then holdings_grouped.day_number end
        ) over (
            partition by holdings_grouped.account_id, holdings_grouped.report_group
        ) as reported_day_number,
        max(holdings_grouped.reported_storage_gb) over (
            partition by holdings_grouped.account_id, holdings_grouped.report_group
        ) as last_storage_gb,
        max(holdings_grouped.reported_integrations_connected) over (
            partition by holdings_grouped.account_id, holdings_grouped.report_group
        ) as last_integrations_connected,
        max(holdings_grouped.reported_environments) over (
            partition by holdings_grouped.account_id, holdings_grouped.report_group
        ) as last_environments

    from holdings_grouped

),

usage_days_filled as (

    select
        account_id,
        usage_date,
        day_number,
        has_usage_row,
        active_users,
        events,
        api_calls,
        case
            when day_number - reported_day_number < {{ window_days }} then last_storage_gb
        end as storage_gb,
        case
            when day_number - reported_day_number < {{ window_days }}
                then last_integrations_connected
        end as integrations_connected,
        case
            when day_number - reported_day_number < {{ window_days }} then last_environments
        end as environments

    from holdings_carried

),

usage_windows_summed as (

    select
        account_id,
        usage_date,
        day_number,
        has_usage_row,
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
        ) as account_days_30d,
        sum(case when has_usage_row then 1 else 0 end) over (
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
        ) as account_days_prior_30d,
        sum(case when has_usage_row then 1 else 0 end) over (
            partition by account_id order by day_number
            range between 59 preceding and 30 preceding
        ) as usage_days_prior_30d

    from usage_days_filled

),

-- subscription lines paid for on each day
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
        lines_on_usage_days.arr_local * fx_rates.usd_per_unit as arr_usd

    from lines_on_usage_days
    left join fx_rates
        on
            lines_on_usage_days.currency_code = fx_rates.currency_code
            and lines_on_usage_days.usage_date = fx_rates.valuation_date

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
        {{ day_number('feature_usage.usage_date') }} as day_number,  -- noqa: LT05
        lead({{ day_number('feature_usage.usage_date') }}) over (
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
        {{ day_number('department_usage.usage_date') }} as day_number,  -- noqa: LT05
        lead({{ day_number('department_usage.usage_date') }}) over (
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
        {{ day_number('cast(users.created_at as date)') }} as day_number  -- noqa: LT05

    from users
    cross join output_window
    where cast(users.created_at as date) <= output_window.last_output_date

),

{# a zero row on every active day (usage_days), so that each gets its running totals #}
coverage_deltas as (
{{ padded_union(
    keys=['account_id', 'day_number'],
    measures={
        'core_feature_delta': '0',
        'feature_delta': '0',
        'department_delta': '0',
        'user_delta': '0',
    },
    parts=[
        {
            'from': 'feature_use_intervals',
            'set': {
                'core_feature_delta': 'case when is_core then 1 else 0 end',
                'feature_delta': '1',
            },
        },
        {
            'from': 'feature_use_intervals',
            'keys': {
                'day_number': window_exit_day('day_number', 'next_use_day_number', window_days),
            },
            'set': {
                'core_feature_delta': 'case when is_core then -1 else 0 end',
                'feature_delta': '-1',
            },
        },
        {'from': 'department_use_intervals', 'set': {'department_delta': '1'}},
        {
            'from': 'department_use_intervals',
            'keys': {
                'day_number': window_exit_day('day_number', 'next_use_day_number', window_days),
            },
            'set': {'department_delta': '-1'},
        },
        {'from': 'users_created', 'set': {'user_delta': '1'}},
        {'from': 'usage_days', 'set': {}},
    ],
) }}

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
        usage_windows_summed.has_usage_row,
        usage_windows_summed.events_30d,
        usage_windows_summed.account_days_30d,
        usage_windows_summed.usage_days_30d,
        usage_windows_summed.api_calls_30d,
        cast(usage_windows_summed.active_users_avg_30d as {{ type_decimal() }})
            as active_users_avg_30d,
        -- the prior window is null until the account was active in it
        case
            when usage_windows_summed.account_days_prior_30d > 0
                then usage_windows_summed.events_prior_30d
        end as events_prior_30d,
        usage_windows_summed.account_days_prior_30d,
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
        cast(active_users as {{ type_decimal() }}) / nullif(paid_seats, 0)
            as active_user_seat_ratio,
        cast(active_users as {{ type_decimal() }}) / nullif(users_to_date, 0)
            as weekly_active_user_ratio,
        cast(core_features_used_30d as {{ type_decimal() }})
        / nullif(core_feature_count, 0) as core_feature_adoption_ratio,
        cast(events_30d as {{ type_decimal() }}) / nullif(limit_events_monthly, 0)
            as events_limit_ratio,
        cast(integrations_connected as {{ type_decimal() }})
        / nullif(limit_integrations, 0) as integrations_limit_ratio,
        cast(environments as {{ type_decimal() }})
        / nullif(limit_environments, 0) as environments_limit_ratio,
        cast(storage_gb as {{ type_decimal() }}) / nullif(limit_storage_gb, 0)
            as storage_limit_ratio

    from joined

),

final as (

    select
        ratios_computed.account_id,
        ratios_computed.usage_date,
        ratios_computed.day_number,
        ratios_computed.has_usage_row,
        ratios_computed.active_users,
        ratios_computed.events,
        ratios_computed.api_calls,
        ratios_computed.storage_gb,
        ratios_computed.integrations_connected,
        ratios_computed.environments,
        cast(ratios_computed.events_30d as {{ dbt.type_bigint() }}) as events_30d,
        cast(ratios_computed.account_days_30d as {{ dbt.type_bigint() }}) as account_days_30d,
        cast(ratios_computed.usage_days_30d as {{ dbt.type_bigint() }}) as usage_days_30d,
        cast(ratios_computed.events_prior_30d as {{ dbt.type_bigint() }}) as events_prior_30d,
        cast(
            ratios_computed.account_days_prior_30d as {{ dbt.type_bigint() }}
        ) as account_days_prior_30d,
        cast(
            ratios_computed.usage_days_prior_30d as {{ dbt.type_bigint() }}
        ) as usage_days_prior_30d,
        cast(ratios_computed.api_calls_30d as {{ dbt.type_bigint() }}) as api_calls_30d,
        ratios_computed.active_users_avg_30d,
        cast(ratios_computed.users_to_date as {{ dbt.type_bigint() }}) as users_to_date,
        cast(ratios_computed.paid_seats as {{ dbt.type_bigint() }}) as paid_seats,
        ratios_computed.core_tier_rank,
        ratios_computed.arr_usd,
        cast(
            ratios_computed.limit_events_monthly as {{ dbt.type_bigint() }}
        ) as limit_events_monthly,
        cast(ratios_computed.limit_integrations as {{ dbt.type_bigint() }}) as limit_integrations,
        cast(ratios_computed.limit_environments as {{ dbt.type_bigint() }}) as limit_environments,
        cast(ratios_computed.limit_storage_gb as {{ type_decimal() }}) as limit_storage_gb,
        cast(ratios_computed.active_user_seat_ratio as {{ type_decimal() }})
            as active_user_seat_ratio,
        cast(
            ratios_computed.weekly_active_user_ratio as {{ type_decimal() }}
        ) as weekly_active_user_ratio,
        cast(ratios_computed.events_limit_ratio as {{ type_decimal() }}) as events_limit_ratio,
        cast(
            ratios_computed.integrations_limit_ratio as {{ type_decimal() }}
        ) as integrations_limit_ratio,
        cast(
            ratios_computed.environments_limit_ratio as {{ type_decimal() }}
        ) as environments_limit_ratio,
        cast(ratios_computed.storage_limit_ratio as {{ type_decimal() }}) as storage_limit_ratio,
        cast(
            coalesce(ratios_computed.core_features_used_30d, 0) as {{ dbt.type_bigint() }}
        ) as core_features_used_30d,
        ratios_computed.core_feature_count,
        cast(
            ratios_computed.core_feature_adoption_ratio as {{ type_decimal() }}
        ) as core_feature_adoption_ratio,
        cast(
            coalesce(ratios_computed.features_used_30d, 0) as {{ dbt.type_bigint() }}
        ) as features_used_30d,
        cast(
            coalesce(ratios_computed.departments_active_30d, 0) as {{ dbt.type_bigint() }}
        ) as departments_active_30d

    from ratios_computed
    cross join output_window
    where ratios_computed.usage_date >= output_window.first_output_date

)

select * from final
