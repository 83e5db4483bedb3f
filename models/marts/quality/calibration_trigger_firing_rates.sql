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

blocking_sample as (

    select coalesce(max(sample_size), 0) as min_eligible_accounts
    from {{ ref('calibration_bounds') }}
    where metric = 'trigger_firing_rate'

),

as_of as (

    select {{ as_of_date() }} as as_of_date

),

final as (

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
            and backtest.eligible_accounts >= blocking_sample.min_eligible_accounts
        ) as is_blocking
    from backtest
    cross join settings
    cross join blocking_sample
    cross join as_of
    inner join registry
        on backtest.trigger_id = registry.trigger_id

)

select * from final
