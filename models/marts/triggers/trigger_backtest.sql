{#-
    One row per enabled trigger and segment (plus 'All') for the backtest
    window (backtest_settings): window_days ending outcome_horizon_days before
    the as-of date, so every firing in it has a full horizon of outcomes.

    - eligible_accounts: accounts with a subscription line active on some
      day of the window; segment = the account's segment on the as-of date.
    - firing_accounts / firings: eligible accounts with >= 1 firing in the
      window, and the firings. firing_rate = firing_accounts /
      eligible_accounts (per window; the default 90-day window is a quarter).
    - precision: share of the firings followed by an expansion within the
      horizon - the account's ARR on fired_on + horizon above its ARR on
      fired_on (subscription lines in USD), or an opportunity won in
      (fired_on, fired_on + horizon].
    - base_expansion_rate: the same test for every eligible account from the
      window start; lift = precision / base_expansion_rate.
    - calibration_status from calibration_bounds.trigger_firing_rate:
      too_restrictive < error_min <= warn_low < warn_min <= ok <= warn_max <
      warn_high <= error_max < too_permissive; precision_status from
      trigger_precision (below_minimum / ok / good / excellent).
    - suggested_threshold_value: where the firing rate would land near
      target_value. Each firing account's strongest signal on its firing
      days in the window (max, or min for signal_direction at_most) is
      ranked; the value of the account ranked ceil(target_value x
      eligible_accounts) is the threshold at which that many accounts would
      still have fired. Only firings are known (trigger models emit the
      days the condition holds at the current threshold), so a threshold
      can only be suggested when more accounts than the target fire; a
      too-restrictive trigger gets null (lower it by hand and re-run). It
      is also null when it equals the current threshold: a countdown such
      as contract_milestone fires on the day it crosses, whatever the
      threshold, and no threshold moves its rate (gate it instead).
-#}
with

settings as (

    select * from {{ ref('backtest_settings') }}

),

bounds as (

    select * from {{ ref('calibration_bounds') }}

),

registry as (

    select * from {{ ref('trigger_registry') }}

),

firings as (

    select * from {{ ref('trigger_firings') }}

),

lines as (

    select * from {{ ref('int_subscription_lines_usd') }}

),

accounts as (

    select * from {{ ref('int_accounts_segmented') }}

),

opportunities as (

    select * from {{ ref('stg_crm__opportunities') }}

),

as_of as (

    select {{ as_of_date() }} as as_of_date

),

window_end as (

    select
        settings.window_days,
        settings.outcome_horizon_days,
        cast(
            {{ dbt.dateadd('day', '-1 * settings.outcome_horizon_days', 'as_of.as_of_date') }}
            as date
        ) as window_end
    from settings
    cross join as_of

),

backtest_window as (

    select
        window_days,
        outcome_horizon_days,
        window_end,
        cast({{ dbt.dateadd('day', '1 - window_days', 'window_end') }} as date) as window_start
    from window_end

),

eligible as (

    select distinct
        lines.account_id,
        coalesce(accounts.segment, 'Unknown') as segment
    from lines
    cross join backtest_window
    left join accounts
        on lines.account_id = accounts.account_id
    where
        lines.start_date <= backtest_window.window_end
        and (lines.end_date is null or lines.end_date > backtest_window.window_start)

),

scoped_accounts as (

    select
        account_id,
        segment as scope
    from eligible
    union all
    select
        account_id,
        'All' as scope
    from eligible

),

window_firings as (

    select
        firings.account_id,
        firings.trigger_id,
        firings.fired_on,
        firings.signal_value,
        cast(
            {{ dbt.dateadd('day', 'backtest_window.outcome_horizon_days', 'firings.fired_on') }}
            as date
        ) as horizon_end
    from firings
    cross join backtest_window
    inner join eligible
        on firings.account_id = eligible.account_id
    where firings.fired_on between backtest_window.window_start and backtest_window.window_end

),

base_references as (

    select
        eligible.account_id,
        backtest_window.window_start as reference_date,
        cast(
            {{ dbt.dateadd('day', 'backtest_window.outcome_horizon_days', 'backtest_window.window_start') }}  -- noqa: LT05
            as date
        )
            as horizon_end
    from eligible
    cross join backtest_window

),

outcome_references as (

    select distinct
        account_id,
        fired_on as reference_date,
        horizon_end
    from window_firings
    union
    select
        account_id,
        reference_date,
        horizon_end
    from base_references

),

arr_at_reference as (

    select
        outcome_references.account_id,
        outcome_references.reference_date,
        outcome_references.horizon_end,
        sum(
            case
                when
                    lines.start_date <= outcome_references.reference_date
                    and (
                        lines.end_date is null or lines.end_date > outcome_references.reference_date
                    )
                    then lines.arr_usd
                else 0
            end
        ) as arr_at_reference_usd,
        sum(
            case
                when
                    lines.start_date <= outcome_references.horizon_end
                    and (lines.end_date is null or lines.end_date > outcome_references.horizon_end)
                    then lines.arr_usd
                else 0
            end
        ) as arr_at_horizon_usd
    from outcome_references
    left join lines
        on outcome_references.account_id = lines.account_id
    group by
        outcome_references.account_id,
        outcome_references.reference_date,
        outcome_references.horizon_end

),

won_after_reference as (

    select
        outcome_references.account_id,
        outcome_references.reference_date,
        count(*) as won_opportunities
    from outcome_references
    inner join opportunities
        on
            outcome_references.account_id = opportunities.account_id
            and cast(opportunities.closed_at as date) > outcome_references.reference_date
            and cast(opportunities.closed_at as date) <= outcome_references.horizon_end
    where opportunities.outcome = 'won'
    group by
        outcome_references.account_id,
        outcome_references.reference_date

),

outcomes as (

    select
        arr_at_reference.account_id,
        arr_at_reference.reference_date,
        (
            arr_at_reference.arr_at_horizon_usd > arr_at_reference.arr_at_reference_usd
            or coalesce(won_after_reference.won_opportunities, 0) > 0
        ) as is_expanded
    from arr_at_reference
    left join won_after_reference
        on
            arr_at_reference.account_id = won_after_reference.account_id
            and arr_at_reference.reference_date = won_after_reference.reference_date

),

firing_outcomes as (

    select
        window_firings.account_id,
        window_firings.trigger_id,
        outcomes.is_expanded
    from window_firings
    inner join outcomes
        on
            window_firings.account_id = outcomes.account_id
            and window_firings.fired_on = outcomes.reference_date

),

base_rates as (

    select
        scoped_accounts.scope,
        count(*) as eligible_accounts,
        sum(case when outcomes.is_expanded then 1 else 0 end) as expanded_accounts
    from scoped_accounts
    cross join backtest_window
    inner join outcomes
        on
            scoped_accounts.account_id = outcomes.account_id
            and backtest_window.window_start = outcomes.reference_date
    group by scoped_accounts.scope

),

firing_stats as (

    select
        firing_outcomes.trigger_id,
        scoped_accounts.scope,
        count(distinct firing_outcomes.account_id) as firing_accounts,
        count(*) as firings,
        sum(case when firing_outcomes.is_expanded then 1 else 0 end) as expanded_firings
    from firing_outcomes
    inner join scoped_accounts
        on firing_outcomes.account_id = scoped_accounts.account_id
    group by
        firing_outcomes.trigger_id,
        scoped_accounts.scope

),

strongest_signals as (

    select
        trigger_id,
        account_id,
        max(signal_value) as max_signal_value,
        min(signal_value) as min_signal_value
    from window_firings
    group by
        trigger_id,
        account_id

),

ranked_signals as (

    select
        strongest_signals.trigger_id,
        scoped_accounts.scope,
        case
            when registry.signal_direction = 'at_most' then strongest_signals.min_signal_value
            else strongest_signals.max_signal_value
        end as strongest_signal_value,
        row_number() over (
            partition by strongest_signals.trigger_id, scoped_accounts.scope
            order by
                case
                    when
                        registry.signal_direction = 'at_most'
                        then strongest_signals.min_signal_value
                    else -1 * strongest_signals.max_signal_value
                end
        ) as signal_rank
    from strongest_signals
    inner join scoped_accounts
        on strongest_signals.account_id = scoped_accounts.account_id
    inner join registry
        on strongest_signals.trigger_id = registry.trigger_id

),

firing_rate_bounds as (

    select * from bounds
    where metric = 'trigger_firing_rate'

),

precision_bounds as (

    select * from bounds
    where metric = 'trigger_precision'

),

suggestions as (

    select
        ranked_signals.trigger_id,
        ranked_signals.scope,
        ranked_signals.strongest_signal_value as suggested_threshold_value
    from ranked_signals
    inner join base_rates
        on ranked_signals.scope = base_rates.scope
    cross join firing_rate_bounds
    where
        ranked_signals.signal_rank = cast(
            ceiling(
                firing_rate_bounds.target_value * base_rates.eligible_accounts
            ) as {{ dbt.type_bigint() }}
        )

),

grid as (

    select
        registry.trigger_id,
        registry.threshold_value,
        base_rates.scope,
        base_rates.eligible_accounts,
        base_rates.expanded_accounts
    from registry
    cross join base_rates
    where registry.is_enabled

),

rates as (

    select
        grid.trigger_id,
        grid.scope,
        grid.threshold_value,
        grid.eligible_accounts,
        coalesce(firing_stats.firing_accounts, 0) as firing_accounts,
        coalesce(firing_stats.firings, 0) as firings,
        coalesce(firing_stats.expanded_firings, 0) as expanded_firings,
        cast(coalesce(firing_stats.firing_accounts, 0) as decimal(18, 6))
        / nullif(grid.eligible_accounts, 0) as firing_rate,
        cast(firing_stats.expanded_firings as decimal(18, 6))
        / nullif(firing_stats.firings, 0) as firing_precision,
        cast(grid.expanded_accounts as decimal(18, 6))
        / nullif(grid.eligible_accounts, 0) as base_expansion_rate
    from grid
    left join firing_stats
        on
            grid.trigger_id = firing_stats.trigger_id
            and grid.scope = firing_stats.scope

),

final as (

    select
        cast(rates.trigger_id as {{ dbt.type_string() }}) as trigger_id,
        cast(rates.scope as {{ dbt.type_string() }}) as segment,
        backtest_window.window_start,
        backtest_window.window_end,
        cast(backtest_window.outcome_horizon_days as int) as outcome_horizon_days,
        cast(rates.eligible_accounts as {{ dbt.type_bigint() }}) as eligible_accounts,
        cast(rates.firing_accounts as {{ dbt.type_bigint() }}) as firing_accounts,
        cast(rates.firings as {{ dbt.type_bigint() }}) as firings,
        cast(rates.expanded_firings as {{ dbt.type_bigint() }}) as expanded_firings,
        cast(rates.firing_rate as decimal(10, 4)) as firing_rate,
        cast(rates.firing_precision as decimal(10, 4)) as precision,
        cast(rates.base_expansion_rate as decimal(10, 4)) as base_expansion_rate,
        cast(rates.firing_precision / nullif(rates.base_expansion_rate, 0) as decimal(10, 4))
            as lift,
        cast(
            case
                when rates.eligible_accounts = 0 then 'no_data'
                when rates.firing_rate < firing_rate_bounds.error_min then 'too_restrictive'
                when rates.firing_rate > firing_rate_bounds.error_max then 'too_permissive'
                when rates.firing_rate < firing_rate_bounds.warn_min then 'warn_low'
                when rates.firing_rate > firing_rate_bounds.warn_max then 'warn_high'
                else 'ok'
            end as {{ dbt.type_string() }}
        ) as calibration_status,
        cast(
            case
                when rates.firing_precision is null then 'no_firings'
                when rates.firing_precision < precision_bounds.error_min then 'below_minimum'
                when rates.firing_precision >= precision_bounds.excellent_min then 'excellent'
                when rates.firing_precision >= precision_bounds.good_min then 'good'
                else 'ok'
            end as {{ dbt.type_string() }}
        ) as precision_status,
        cast(rates.threshold_value as decimal(18, 4)) as threshold_value,
        cast(
            case
                when suggestions.suggested_threshold_value <> rates.threshold_value
                    then suggestions.suggested_threshold_value
            end as decimal(18, 4)
        ) as suggested_threshold_value,
        cast(
            case
                when suggestions.suggested_threshold_value is null
                    then 'fewer_firing_accounts_than_the_target'
                when suggestions.suggested_threshold_value = rates.threshold_value
                    then 'no_threshold_moves_the_rate'
                else 'ranked_firing_signals'
            end as {{ dbt.type_string() }}
        ) as suggestion_basis
    from rates
    cross join backtest_window
    cross join firing_rate_bounds
    cross join precision_bounds
    left join suggestions
        on
            rates.trigger_id = suggestions.trigger_id
            and rates.scope = suggestions.scope

)

select * from final
