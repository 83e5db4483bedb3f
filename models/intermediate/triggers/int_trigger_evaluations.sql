{#-
    Up to the as-of date because an event-driven trigger must not fire on a
    ticket or a CRM change dated after the night. `at_least` holds when the
    signal is at or above the threshold, `at_most` when at or below it; the
    rows of a model that compares thresholds itself are kept on the same
    days. A day without a signal row is a day the condition does not hold.
-#}
{{ config(materialized='table') }}

with

signals as (

    select * from {{ ref('int_trigger_signals') }}

),

registry as (

    select * from {{ ref('trigger_registry') }}

),

thresholds as (

    {{ trigger_thresholds() }}

),

as_of as (

    select {{ as_of_date() }} as as_of_date

),

final as (

    select
        signals.account_id,
        signals.trigger_id,
        signals.evaluated_on,
        cast(signals.signal_value as {{ type_decimal() }}) as signal_value,
        thresholds.threshold_value,
        thresholds.is_current_threshold
    from signals
    inner join registry
        on signals.trigger_id = registry.trigger_id
    inner join thresholds
        on signals.trigger_id = thresholds.trigger_id
    cross join as_of
    where
        registry.is_enabled
        and signals.evaluated_on <= as_of.as_of_date
        and signals.evaluated_on between thresholds.evaluated_from and thresholds.evaluated_through
        and (
            (
                signals.threshold_value is null
                and registry.signal_direction = 'at_least'
                and signals.signal_value >= thresholds.threshold_value
            )
            or (
                signals.threshold_value is null
                and registry.signal_direction = 'at_most'
                and signals.signal_value <= thresholds.threshold_value
            )
            or signals.threshold_value = thresholds.threshold_value
        )

)

select * from final
