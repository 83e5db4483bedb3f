{#-
    The current threshold's figures are trigger_threshold_sweep's
    is_current_threshold rows.

    - calibration_status from calibration_bounds.trigger_firing_rate:
      too_restrictive < error_min <= warn_low < warn_min <= ok <= warn_max <
      warn_high <= error_max < too_permissive; precision_status from
      trigger_precision (below_minimum / ok / good / excellent).
    - suggested_threshold_value: on a tie the current threshold, then the
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

current_banded as (

    select
        current_threshold.*,
        {{ band_positions('current_threshold.firing_rate', 'firing_rate_bounds', 'firing_rate') }},
        {{ band_positions('current_threshold.precision', 'precision_bounds', 'precision') }}
    from current_threshold
    cross join firing_rate_bounds
    cross join precision_bounds

),

final as (

    select
        current_banded.trigger_id,
        current_banded.segment,
        current_banded.window_start,
        current_banded.window_end,
        current_banded.outcome_horizon_days,
        current_banded.eligible_accounts,
        current_banded.firing_accounts,
        current_banded.firings,
        current_banded.expanded_firings,
        current_banded.firing_rate,
        current_banded.precision,
        current_banded.base_expansion_rate,
        current_banded.lift,
        cast(
            case
                when current_banded.eligible_accounts = 0 then 'no_data'
                when current_banded.firing_rate_error_band = 'below' then 'too_restrictive'
                when current_banded.firing_rate_error_band = 'above' then 'too_permissive'
                when current_banded.firing_rate_warn_band = 'below' then 'warn_low'
                when current_banded.firing_rate_warn_band = 'above' then 'warn_high'
                else 'ok'
            end as {{ dbt.type_string() }}
        ) as calibration_status,
        cast(
            case
                when current_banded.precision is null then 'no_firings'
                when current_banded.precision_error_band = 'below' then 'below_minimum'
                when current_banded.precision >= precision_bounds.excellent_min then 'excellent'
                when current_banded.precision >= precision_bounds.good_min then 'good'
                else 'ok'
            end as {{ dbt.type_string() }}
        ) as precision_status,
        current_banded.firing_rate_warn_band,
        current_banded.firing_rate_error_band,
        current_banded.precision_warn_band,
        current_banded.precision_error_band,
        current_banded.threshold_value,
        suggestions.suggested_threshold_value,
        suggestions.suggested_firing_rate,
        cast(
            case
                when suggestions.suggested_threshold_value is null then 'no_data'
                when suggestions.suggested_threshold_value = current_banded.threshold_value
                    then 'current_threshold_is_nearest_the_target'
                else 'threshold_sweep'
            end as {{ dbt.type_string() }}
        ) as suggestion_basis
    from current_banded
    cross join precision_bounds
    left join suggestions
        on
            current_banded.trigger_id = suggestions.trigger_id
            and current_banded.segment = suggestions.segment

)

select * from final
