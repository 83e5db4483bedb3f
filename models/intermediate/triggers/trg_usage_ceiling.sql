{#-
    Usage of a plan limit (events in the last 30 days vs the monthly events
    limit, integrations, environments, storage) has reached the threshold
    share of that limit, and it was below the threshold on a day within the
    last cooldown_days days - the account *reached* the ceiling recently
    (SPEC section 7: a firing is the day the condition becomes true). An
    account that sits at a limit permanently never fires, and a missing
    usage row (a rejected file row) cannot start a second run.

    Limits too small to be a usage signal are skipped by the project's one
    rule (macro plan_limit_counts, which the readiness scores and the
    motion rules apply too): a limit counts only when at least one whole
    unit lies between the threshold and the limit (Platform Starter's one
    environment never does). The signal is the highest ratio among the
    limits that qualify. The recent lows are taken over every day of the
    account's record (a day without a usage row keeps the last reported
    holdings, int_product_usage_account_daily), once, whatever the
    threshold; qualifying and reaching are decided per threshold.
-#}
{{ config(meta={'compares_thresholds': true}) }}

{%- set recent_days = trigger_setting('usage_ceiling', 'cooldown_days', 30) %}

with

usage as (

    select * from {{ ref('int_product_usage_account_daily') }}

),

thresholds as (

    {{ trigger_thresholds('usage_ceiling') }}

),

-- the lowest ratio of each limit on the days of the last recent_days days
recent_lows as (

    select
        account_id,
        usage_date,
        limit_events_monthly,
        limit_integrations,
        limit_environments,
        limit_storage_gb,
        events_limit_ratio,
        integrations_limit_ratio,
        environments_limit_ratio,
        storage_limit_ratio,
        min(events_limit_ratio) over (
            partition by account_id order by day_number
            range between {{ recent_days }} preceding and 1 preceding
        ) as events_recent_low,
        min(integrations_limit_ratio) over (
            partition by account_id order by day_number
            range between {{ recent_days }} preceding and 1 preceding
        ) as integrations_recent_low,
        min(environments_limit_ratio) over (
            partition by account_id order by day_number
            range between {{ recent_days }} preceding and 1 preceding
        ) as environments_recent_low,
        min(storage_limit_ratio) over (
            partition by account_id order by day_number
            range between {{ recent_days }} preceding and 1 preceding
        ) as storage_recent_low
    from usage

),

-- per limit and threshold: the ratio when the limit is large enough to signal
-- and the ratio reached the threshold after being below it, else 0
reached as (

    select
        recent_lows.account_id,
        recent_lows.usage_date,
        thresholds.threshold_value,
        case
            when
                {{ plan_limit_counts('recent_lows.limit_events_monthly', 'thresholds.threshold_value') }}  -- noqa: LT05
                and recent_lows.events_limit_ratio >= thresholds.threshold_value
                and recent_lows.events_recent_low < thresholds.threshold_value
                then recent_lows.events_limit_ratio
            else 0
        end as events_reached,
        case
            when
                {{ plan_limit_counts('recent_lows.limit_integrations', 'thresholds.threshold_value') }}  -- noqa: LT05
                and recent_lows.integrations_limit_ratio >= thresholds.threshold_value
                and recent_lows.integrations_recent_low < thresholds.threshold_value
                then recent_lows.integrations_limit_ratio
            else 0
        end as integrations_reached,
        case
            when
                {{ plan_limit_counts('recent_lows.limit_environments', 'thresholds.threshold_value') }}  -- noqa: LT05
                and recent_lows.environments_limit_ratio >= thresholds.threshold_value
                and recent_lows.environments_recent_low < thresholds.threshold_value
                then recent_lows.environments_limit_ratio
            else 0
        end as environments_reached,
        case
            when
                {{ plan_limit_counts('recent_lows.limit_storage_gb', 'thresholds.threshold_value') }}  -- noqa: LT05
                and recent_lows.storage_limit_ratio >= thresholds.threshold_value
                and recent_lows.storage_recent_low < thresholds.threshold_value
                then recent_lows.storage_limit_ratio
            else 0
        end as storage_reached
    from recent_lows
    cross join thresholds
    where
        recent_lows.usage_date
        between thresholds.evaluated_from and thresholds.evaluated_through

),

limit_ratios as (

    select
        account_id,
        usage_date,
        threshold_value,
        greatest(
            events_reached, integrations_reached, environments_reached, storage_reached
        ) as highest_limit_ratio
    from reached

),

final as (

    select
        limit_ratios.account_id,
        limit_ratios.usage_date as evaluated_on,
        cast(limit_ratios.highest_limit_ratio as {{ type_decimal() }}) as signal_value,
        limit_ratios.threshold_value
    from limit_ratios
    where limit_ratios.highest_limit_ratio >= limit_ratios.threshold_value

)

select * from final
