{#-
    No figure is compared here: the band verdicts are trigger_backtest's
    (macro band_position); calibration_bounds is read for sample_size only.
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
        ) as min_eligible_accounts
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
        backtest.firing_rate_warn_band,
        backtest.firing_rate_error_band,
        backtest.precision_warn_band,
        backtest.precision_error_band,
        (
            backtest.segment = 'All'
            and backtest.eligible_accounts >= quarantine_bounds.min_eligible_accounts
        ) as is_blocking,
        coalesce(backtest.firing_rate_error_band = 'below', false) as is_too_restrictive,
        coalesce(backtest.firing_rate_error_band = 'above', false) as is_too_permissive,
        coalesce(backtest.precision_error_band = 'below', false) as is_imprecise
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
        firing_rate_warn_band,
        firing_rate_error_band,
        precision_warn_band,
        precision_error_band,
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
