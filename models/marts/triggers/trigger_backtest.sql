{#-
    One row per enabled trigger and segment (plus 'All'): the backtest of the
    trigger at its current threshold (trigger_threshold_sweep's
    is_current_threshold rows: eligible and firing accounts, firing rate,
    precision, base expansion rate, lift), its calibration and precision
    status, and the threshold the sweep suggests.

    - calibration_status from calibration_bounds.trigger_firing_rate:
      too_restrictive < error_min <= warn_low < warn_min <= ok <= warn_max <
      warn_high <= error_max < too_permissive; precision_status from
      trigger_precision (below_minimum / ok / good / excellent).
    - suggested_threshold_value: of the evaluated thresholds (the current
      one and the sweep candidates), the one whose firing rate in the window
      lands nearest target_value; on a tie the current threshold, then the
      nearer candidate. suggested_firing_rate is its rate, and
      suggestion_basis says which case it is: threshold_sweep (a candidate
      lands nearer the target), current_threshold_is_nearest_the_target
      (the suggestion is the current threshold: no candidate does better,
      as for a countdown such as contract_milestone that fires when it
      crosses whatever the threshold) or no_data (no eligible accounts).
-#}
with

sweep as (

    select * from {{ ref('trigger_threshold_sweep') }}

),

bounds as (

    select * from {{ ref('calibration_bounds') }}

),

firing_rate_bounds as (

    select * from bounds
    where metric = 'trigger_firing_rate'

),

precision_bounds as (

    select * from bounds
    where metric = 'trigger_precision'

),

current_threshold as (

    select * from sweep
    where is_current_threshold

),

ranked_thresholds as (

    select
        sweep.trigger_id,
        sweep.segment,
        sweep.threshold_value,
        sweep.firing_rate,
        row_number() over (
            partition by sweep.trigger_id, sweep.segment
            order by
                abs(sweep.firing_rate - firing_rate_bounds.target_value),
                case when sweep.is_current_threshold then 0 else 1 end,
                abs(sweep.threshold_value - current_threshold.threshold_value)
        ) as nearness_rank
    from sweep
    inner join current_threshold
        on
            sweep.trigger_id = current_threshold.trigger_id
            and sweep.segment = current_threshold.segment
    cross join firing_rate_bounds
    where sweep.firing_rate is not null

),

suggestions as (

    select
        trigger_id,
        segment,
        threshold_value as suggested_threshold_value,
        firing_rate as suggested_firing_rate
    from ranked_thresholds
    where nearness_rank = 1

),

final as (

    select
        current_threshold.trigger_id,
        current_threshold.segment,
        current_threshold.window_start,
        current_threshold.window_end,
        current_threshold.outcome_horizon_days,
        current_threshold.eligible_accounts,
        current_threshold.firing_accounts,
        current_threshold.firings,
        current_threshold.expanded_firings,
        current_threshold.firing_rate,
        current_threshold.precision,
        current_threshold.base_expansion_rate,
        current_threshold.lift,
        cast(
            case
                when current_threshold.eligible_accounts = 0 then 'no_data'
                when current_threshold.firing_rate < firing_rate_bounds.error_min
                    then 'too_restrictive'
                when current_threshold.firing_rate > firing_rate_bounds.error_max
                    then 'too_permissive'
                when current_threshold.firing_rate < firing_rate_bounds.warn_min then 'warn_low'
                when current_threshold.firing_rate > firing_rate_bounds.warn_max then 'warn_high'
                else 'ok'
            end as {{ dbt.type_string() }}
        ) as calibration_status,
        cast(
            case
                when current_threshold.precision is null then 'no_firings'
                when current_threshold.precision < precision_bounds.error_min then 'below_minimum'
                when current_threshold.precision >= precision_bounds.excellent_min then 'excellent'
                when current_threshold.precision >= precision_bounds.good_min then 'good'
                else 'ok'
            end as {{ dbt.type_string() }}
        ) as precision_status,
        current_threshold.threshold_value,
        suggestions.suggested_threshold_value,
        suggestions.suggested_firing_rate,
        cast(
            case
                when suggestions.suggested_threshold_value is null then 'no_data'
                when suggestions.suggested_threshold_value = current_threshold.threshold_value
                    then 'current_threshold_is_nearest_the_target'
                else 'threshold_sweep'
            end as {{ dbt.type_string() }}
        ) as suggestion_basis
    from current_threshold
    cross join firing_rate_bounds
    cross join precision_bounds
    left join suggestions
        on
            current_threshold.trigger_id = suggestions.trigger_id
            and current_threshold.segment = suggestions.segment

)

select * from final
