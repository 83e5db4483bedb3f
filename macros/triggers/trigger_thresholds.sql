{#
    The thresholds a trigger is evaluated at, one row each, for the
    backtest's threshold sweep (SPEC 8: a too-restrictive or too-permissive
    trigger is told what to change its threshold to):

    - the registry's threshold (is_current_threshold), over the whole history
      (evaluated_from 1900-01-01, evaluated_through 9999-12-31);
    - the candidates: the threshold times each threshold_scale of the
      threshold_sweep seed - rounded outward to a multiple of the registry's
      threshold_step when it has one (3 features x 0.6 -> 1, x 1.25 -> 4),
      positive, distinct - evaluated only from evaluated_from, the backtest
      window's first day less the trigger's cooldown and one day (so a
      firing in the window has its rising edge and its cooldown), through
      evaluated_through, the window's last day.

    Trigger models cross join it where they compare a signal with
    threshold_value, keep the days between evaluated_from and
    evaluated_through, and partition any window that follows that join by
    threshold_value. With a trigger_id: that trigger's rows; without: every
    trigger's, for int_trigger_evaluations.
#}
{% macro trigger_thresholds(trigger_id=none) -%}
    select
        registry.trigger_id,
        cast(registry.threshold_value as {{ type_decimal() }}) as threshold_value,
        true as is_current_threshold,
        cast('1900-01-01' as date) as evaluated_from,
        cast('9999-12-31' as date) as evaluated_through
    from {{ ref('trigger_registry') }} as registry
    {%- if trigger_id is not none %}
    where registry.trigger_id = '{{ trigger_id }}'
    {%- endif %}
    union all
    select distinct
        candidates.trigger_id,
        candidates.threshold_value,
        false as is_current_threshold,
        candidates.evaluated_from,
        candidates.evaluated_through
    from (
        select
            registry.trigger_id,
            cast(registry.threshold_value as {{ type_decimal() }}) as current_threshold_value,
            cast(
                case
                    when registry.threshold_step is null
                        then registry.threshold_value * sweep.threshold_scale
                    when sweep.threshold_scale < 1
                        then registry.threshold_step * floor(
                            registry.threshold_value * sweep.threshold_scale / registry.threshold_step
                        )
                    else registry.threshold_step * ceiling(
                        registry.threshold_value * sweep.threshold_scale / registry.threshold_step
                    )
                end as {{ type_decimal() }}
            ) as threshold_value,
            cast(
                {{ dbt.dateadd(
                    'day',
                    '-1 * (settings.outcome_horizon_days + settings.window_days'
                    ~ ' + coalesce(registry.cooldown_days, policy.default_cooldown_days))',
                    'as_of.as_of_date'
                ) }} as date
            ) as evaluated_from,
            cast(
                {{ dbt.dateadd('day', '-1 * settings.outcome_horizon_days', 'as_of.as_of_date') }}
                as date
            ) as evaluated_through
        from {{ ref('trigger_registry') }} as registry
        cross join {{ ref('threshold_sweep') }} as sweep
        cross join {{ ref('backtest_settings') }} as settings
        cross join {{ ref('alert_policy') }} as policy
        cross join (select {{ as_of_date() }} as as_of_date) as as_of
        {%- if trigger_id is not none %}
        where registry.trigger_id = '{{ trigger_id }}'
        {%- endif %}
    ) as candidates
    where
        candidates.threshold_value > 0
        and candidates.threshold_value <> candidates.current_threshold_value
{%- endmacro %}
