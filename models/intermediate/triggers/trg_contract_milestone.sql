{#-
    The condition (figures in trigger_registry): the earliest end_date of
    the account's active lines is at most threshold_value days away and more
    than threshold_value - window_value days away (the milestone stays open
    for window_value days, so it never fires on the eve of a renewal, too
    late for a strategic review), and the day's health score is at least
    secondary_threshold_value. The signal must be AT MOST the threshold
    (registry signal_direction = at_most).
-#}
{{ config(meta={'compares_thresholds': true}) }}

with

health as (

    select * from {{ ref('int_account_health_daily') }}

),

owned_lines as (

    select * from {{ ref('int_trigger_owned_lines') }}

),

registry as (

    {{ trigger_registry_row('contract_milestone') }}

),

thresholds as (

    {{ trigger_thresholds('contract_milestone') }}

),

healthy_days as (

    select
        health.account_id,
        health.score_date
    from health
    cross join registry
    where health.health_score >= registry.secondary_threshold_value

),

next_renewal as (

    select
        healthy_days.account_id,
        healthy_days.score_date,
        min(owned_lines.end_date) as next_renewal_date
    from healthy_days
    inner join owned_lines
        on
            healthy_days.account_id = owned_lines.account_id
            and healthy_days.score_date >= owned_lines.start_date
            and healthy_days.score_date < owned_lines.end_date
    group by
        healthy_days.account_id,
        healthy_days.score_date

),

days_out as (

    select
        account_id,
        score_date,
        {{ dbt.datediff('score_date', 'next_renewal_date', 'day') }} as days_to_renewal  -- noqa: LT05
    from next_renewal

),

final as (

    select
        days_out.account_id,
        days_out.score_date as evaluated_on,
        cast(days_out.days_to_renewal as {{ type_decimal() }}) as signal_value,
        thresholds.threshold_value
    from days_out
    cross join thresholds
    cross join registry
    where
        days_out.days_to_renewal <= thresholds.threshold_value
        and days_out.days_to_renewal
        > thresholds.threshold_value
        - coalesce(registry.window_value, thresholds.threshold_value)
        and days_out.score_date
        between thresholds.evaluated_from and thresholds.evaluated_through

)

select * from final
