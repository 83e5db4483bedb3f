{#-
    One row per enabled trigger, segment (plus 'All') and backtest window
    (the evaluation period of seeds.backtest_settings, a quarter by default):
    the calibration view of trigger_backtest (SPEC 8) that the Great
    Expectations calibration suite reads (data_quality/calibration_suite.py).

    Every figure comes from trigger_backtest (firing rate, precision, the
    current and suggested thresholds, the rate at the suggestion, both
    statuses); this model only adds what a person needs to act on a
    breach: the as-of date, the period, the trigger's signal direction and
    unit (which way "raise" moves it), and whether the row is the blocking
    one: segment 'All' on a backtest of at least
    calibration_bounds.sample_size eligible accounts (trigger_firing_rate
    row). Segment rows, and the 'All' row of a smaller book, are warn-only:
    on 100 accounts one account moves the rate by a point (docs/data_quality.md).

    Quarantine (SPEC 8: a calibration breach never stops the night): a
    blocking row whose firing rate is outside the error band of
    calibration_bounds.trigger_firing_rate (below 3% or above 40%), or whose
    precision is below the trigger_precision minimum (30%), quarantines its
    trigger - is_quarantined, with quarantine_reason (too_restrictive,
    too_permissive, imprecise; ';'-separated when both). trigger_firings and
    alert_candidates mark the trigger's rows, and the outbox holds its alerts
    until a night on which it is no longer quarantined. The Great
    Expectations suite reports the same rows, from the same bounds, at
    severity 'quarantine'.
-#}
with

backtest as (

    select * from {{ ref('trigger_backtest') }}

),

registry as (

    select * from {{ ref('trigger_registry') }}

),

settings as (

    select * from {{ ref('backtest_settings') }}

),

bounds as (

    select * from {{ ref('calibration_bounds') }}

),

quarantine_bounds as (

    select
        coalesce(
            max(case when metric = 'trigger_firing_rate' then sample_size end), 0
        ) as min_eligible_accounts,
        max(case when metric = 'trigger_firing_rate' then error_min end) as firing_rate_min,
        max(case when metric = 'trigger_firing_rate' then error_max end) as firing_rate_max,
        max(case when metric = 'trigger_precision' then error_min end) as precision_min
    from bounds

),

as_of as (

    select {{ as_of_date() }} as as_of_date

),

rows_flagged as (

    select
        as_of.as_of_date,
        backtest.trigger_id,
        backtest.segment,
        cast(settings.evaluation_period as {{ dbt.type_string() }}) as evaluation_period,
        backtest.window_start,
        backtest.window_end,
        backtest.eligible_accounts,
        backtest.firing_accounts,
        backtest.firings,
        backtest.expanded_firings,
        backtest.firing_rate,
        backtest.precision,
        backtest.lift,
        backtest.calibration_status,
        backtest.precision_status,
        cast(registry.signal_direction as {{ dbt.type_string() }}) as signal_direction,
        cast(registry.threshold_unit as {{ dbt.type_string() }}) as threshold_unit,
        backtest.threshold_value,
        backtest.suggested_threshold_value,
        backtest.suggested_firing_rate,
        backtest.suggestion_basis,
        (
            backtest.segment = 'All'
            and backtest.eligible_accounts >= quarantine_bounds.min_eligible_accounts
        ) as is_blocking,
        coalesce(backtest.firing_rate < quarantine_bounds.firing_rate_min, false)
            as is_too_restrictive,
        coalesce(backtest.firing_rate > quarantine_bounds.firing_rate_max, false)
            as is_too_permissive,
        coalesce(backtest.precision < quarantine_bounds.precision_min, false) as is_imprecise
    from backtest
    cross join settings
    cross join quarantine_bounds
    cross join as_of
    inner join registry
        on backtest.trigger_id = registry.trigger_id

),

final as (

    select
        as_of_date,
        trigger_id,
        segment,
        evaluation_period,
        window_start,
        window_end,
        eligible_accounts,
        firing_accounts,
        firings,
        expanded_firings,
        firing_rate,
        precision,
        lift,
        calibration_status,
        precision_status,
        signal_direction,
        threshold_unit,
        threshold_value,
        suggested_threshold_value,
        suggested_firing_rate,
        suggestion_basis,
        is_blocking,
        is_blocking and (is_too_restrictive or is_too_permissive or is_imprecise)
            as is_quarantined,
        cast(
            case
                when not is_blocking then null
                when is_imprecise and is_too_restrictive then 'too_restrictive;imprecise'
                when is_imprecise and is_too_permissive then 'too_permissive;imprecise'
                when is_too_restrictive then 'too_restrictive'
                when is_too_permissive then 'too_permissive'
                when is_imprecise then 'imprecise'
            end as {{ dbt.type_string() }}
        ) as quarantine_reason
    from rows_flagged

)

select * from final
