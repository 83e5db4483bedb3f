{#-
    The backtest window (backtest_settings): window_days ending
    outcome_horizon_days before the as-of date, so every firing in it has a
    full horizon of outcomes.

    - eligible_accounts: accounts with a subscription line active on some
      day of the window; segment = the account's segment in the window
      (int_account_arr_monthly: at the last month end on or before the
      window start, else at the first month end after it - not its segment
      on the as-of date, which an expansion may have changed).
    - firing_accounts / firings: eligible accounts with at least one firing
      in the window at the threshold (int_trigger_threshold_firings: rising
      edges and cooldown, as trigger_firings), and the firings. firing_rate =
      firing_accounts / eligible_accounts (per window of
      backtest_settings.window_days).
    - precision: share of the firings followed by an expansion within the
      horizon - an int_account_expansions row dated in (fired_on, fired_on +
      horizon]: a motion that counts as expansion (not a renewal price
      escalator, by default) or a won expansion opportunity.
    - base_expansion_rate: the same test for every eligible account from the
      window start; lift = precision / base_expansion_rate.

    A candidate's history starts at its evaluated_from day (its cooldown
    before the window), so in the window's first cooldown days its cooldown
    chain can differ from one evaluated over the whole history.
-#}
with

settings as (

    select * from {{ ref('backtest_settings') }}

),

registry as (

    select * from {{ ref('trigger_registry') }}

),

thresholds as (

    {{ trigger_thresholds() }}

),

firings as (

    select * from {{ ref('int_trigger_threshold_firings') }}

),

lines as (

    select * from {{ ref('stg_billing__subscriptions') }}

),

account_arr as (

    select * from {{ ref('int_account_arr_monthly') }}

),

expansions as (

    select * from {{ ref('int_account_expansions') }}

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

eligible_accounts as (

    select distinct lines.account_id
    from lines
    cross join backtest_window
    where
        lines.start_date <= backtest_window.window_end
        and (lines.end_date is null or lines.end_date > backtest_window.window_start)

),

-- the segment in the window: at the last month end on or before its start,
-- else at the first month end after it (an account that starts paying in the
-- window)
window_segments as (

    select
        eligible_accounts.account_id,
        account_arr.segment,
        row_number() over (
            partition by eligible_accounts.account_id
            order by
                case
                    when account_arr.month_end_date <= backtest_window.window_start then 0
                    else 1
                end,
                case
                    when account_arr.month_end_date <= backtest_window.window_start
                        then account_arr.month_end_date
                end desc nulls last,
                account_arr.month_end_date asc
        ) as segment_rank
    from eligible_accounts
    cross join backtest_window
    inner join account_arr
        on eligible_accounts.account_id = account_arr.account_id

),

eligible as (

    select
        eligible_accounts.account_id,
        coalesce(window_segments.segment, 'Unknown') as segment
    from eligible_accounts
    left join window_segments
        on
            eligible_accounts.account_id = window_segments.account_id
            and window_segments.segment_rank = 1

),

scoped_accounts as (

    {{ segment_and_all_scopes('eligible') }}

),

window_firings as (

    select
        firings.account_id,
        firings.trigger_id,
        firings.threshold_value,
        firings.fired_on,
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

outcomes as (

    select
        outcome_references.account_id,
        outcome_references.reference_date,
        count(expansions.account_id) > 0 as is_expanded
    from outcome_references
    left join expansions
        on
            outcome_references.account_id = expansions.account_id
            and outcome_references.reference_date < expansions.expansion_date
            and outcome_references.horizon_end >= expansions.expansion_date
    group by
        outcome_references.account_id,
        outcome_references.reference_date

),

firing_outcomes as (

    select
        window_firings.account_id,
        window_firings.trigger_id,
        window_firings.threshold_value,
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
        firing_outcomes.threshold_value,
        scoped_accounts.scope,
        count(distinct firing_outcomes.account_id) as firing_accounts,
        count(*) as firings,
        sum(case when firing_outcomes.is_expanded then 1 else 0 end) as expanded_firings
    from firing_outcomes
    inner join scoped_accounts
        on firing_outcomes.account_id = scoped_accounts.account_id
    group by
        firing_outcomes.trigger_id,
        firing_outcomes.threshold_value,
        scoped_accounts.scope

),

grid as (

    select
        thresholds.trigger_id,
        thresholds.threshold_value,
        thresholds.is_current_threshold,
        base_rates.scope,
        base_rates.eligible_accounts,
        base_rates.expanded_accounts
    from thresholds
    inner join registry
        on thresholds.trigger_id = registry.trigger_id
    cross join base_rates
    where registry.is_enabled

),

rates as (

    select
        grid.trigger_id,
        grid.scope,
        grid.threshold_value,
        grid.is_current_threshold,
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
            and grid.threshold_value = firing_stats.threshold_value
            and grid.scope = firing_stats.scope

),

final as (

    select
        cast(rates.trigger_id as {{ dbt.type_string() }}) as trigger_id,
        cast(rates.scope as {{ dbt.type_string() }}) as segment,
        cast(rates.threshold_value as {{ type_decimal() }}) as threshold_value,
        rates.is_current_threshold,
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
            as lift
    from rates
    cross join backtest_window

)

select * from final
