{#-
    One row per account, enabled trigger, threshold and day on which the
    trigger's condition holds at that threshold, up to the as-of date (an
    event-driven trigger must not fire on a ticket or a CRM change dated
    after the night). The one place that applies the registry to the
    signals of int_trigger_signals:

    - the thresholds of macro trigger_thresholds: the registry's current one
      over the whole history (is_current_threshold; trigger_firings and the
      alerts read only these rows) and the backtest's sweep candidates over
      the days from shortly before the backtest window through its last day;
    - the direction, signal_direction: `at_least` holds when the signal is
      at or above the threshold, `at_most` when it is at or below it;
    - a model that compares thresholds itself (meta compares_thresholds)
      gives its rows per threshold: they are kept on the same days.

    A day without a signal row is a day the condition does not hold.
    A table, rebuilt whole each night: a changed threshold in trigger_registry
    must re-evaluate history for the backtest.
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
