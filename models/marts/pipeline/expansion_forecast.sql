{#-
    - open_opportunity: every opportunity still open on the as-of date;
      ACV = its amount; cell = the account's health band and signal-point
      tier on the day the CSQL was created (the close rates are learned
      the same way).
    - ready_account: an account of expansion_scorecard that is eligible
      (gate passed, no suppression), in a signal-point tier ranked
      forecast_max_signal_tier_rank or better (priority, ready) and with no
      open opportunity; ACV = the scorecard's estimated_expansion_acv (no
      estimate: no expected ARR, acv_basis says why, and the row is not
      counted as 0); cell = its health band and tier on the as-of date.

    The rate: the cell's, shrunk towards its segment's (a small cell stays
    near its segment; cell_closed_deals shows its size); a cell without
    closed deals takes its segment's rate, a segment without any the
    overall rate, a history without any default_close_rate
    (close_rate_basis says which).

    Expected close date: CSQL creation + the segment's median won cycle
    (created to closed, won deals closed within close_rate_history_days),
    never before the as-of date (an overdue deal is expected now); for a
    ready account, the as-of date + that cycle. Without won history the
    cycle is the midpoint of seeds.segment_playbooks' cycle_days range.
-#}
{%- set cycle_days = dbt.datediff(
    'opportunities.created_date', 'cast(opportunities.closed_at as date)', 'day'
) %}

with

opportunities as (

    select * from {{ ref('int_opportunities_attributed') }}

),

cells as (

    select * from {{ ref('int_opportunity_cells_at_creation') }}

),

close_rates as (

    select * from {{ ref('int_expansion_close_rates') }}

),

scorecard as (

    select * from {{ ref('expansion_scorecard') }}

),

signal_tiers as (

    select * from {{ ref('signal_point_tiers') }}

),

playbooks as (

    select * from {{ ref('segment_playbooks') }}

),

settings as (

    select * from {{ ref('pipeline_settings') }}

),

as_of as (

    select {{ as_of_date() }} as as_of_date

),

won_cycles as (

    select
        opportunities.segment,
        percentile_cont(0.5) within group (
            order by {{ cycle_days }}
        ) as median_cycle_days

    from opportunities
    cross join settings
    cross join as_of
    where
        opportunities.outcome = 'won'
        and {{ dbt.datediff('cast(opportunities.closed_at as date)', 'as_of.as_of_date', 'day') }}
        < settings.close_rate_history_days
    group by opportunities.segment

),

segment_cycles as (

    select
        playbooks.segment,
        cast(
            round(coalesce(
                won_cycles.median_cycle_days,
                (playbooks.cycle_days_min + playbooks.cycle_days_max) / 2.0
            ), 0) as int
        ) as cycle_days

    from playbooks
    left join won_cycles
        on playbooks.segment = won_cycles.segment

),

open_opportunities as (

    select
        opportunities.opportunity_id as forecast_row_id,
        'open_opportunity' as forecast_source,
        opportunities.opportunity_id,
        opportunities.account_id,
        opportunities.account_name,
        opportunities.segment,
        opportunities.csm_owner,
        opportunities.motion,
        cells.health_band,
        cells.signal_tier,
        cells.activation_status,
        opportunities.amount_arr_usd as estimated_acv_usd,
        'opportunity_amount' as acv_basis,
        opportunities.created_date

    from opportunities
    inner join cells
        on opportunities.opportunity_id = cells.opportunity_id
    where opportunities.outcome = 'open'

),

accounts_with_open_opportunities as (

    select distinct account_id
    from open_opportunities

),

ready_accounts as (

    select
        {{ dbt.concat(["'account:'", "scorecard.account_id"]) }} as forecast_row_id,
        'ready_account' as forecast_source,
        cast(null as {{ dbt.type_string() }}) as opportunity_id,
        scorecard.account_id,
        scorecard.account_name,
        scorecard.segment,
        scorecard.csm_owner,
        scorecard.candidate_motion as motion,
        coalesce(scorecard.health_band, 'unknown') as health_band,
        scorecard.signal_tier,
        scorecard.activation_status,
        scorecard.estimated_expansion_acv as estimated_acv_usd,
        coalesce(scorecard.acv_estimate_basis, 'no_estimate') as acv_basis,
        cast(null as date) as created_date

    from scorecard
    inner join signal_tiers
        on scorecard.signal_tier = signal_tiers.signal_tier
    cross join settings
    left join accounts_with_open_opportunities
        on scorecard.account_id = accounts_with_open_opportunities.account_id
    where
        scorecard.is_expansion_eligible
        and signal_tiers.tier_rank <= settings.forecast_max_signal_tier_rank
        and accounts_with_open_opportunities.account_id is null

),

forecast_rows as (

    select * from open_opportunities
    union all
    select * from ready_accounts

),

rates_applied as (

    select
        forecast_rows.*,
        cell_rates.closed_deals as cell_closed_deals,
        cell_rates.observed_close_rate as cell_observed_close_rate,
        coalesce(
            cell_rates.close_rate,
            segment_rates.close_rate,
            overall_rates.close_rate,
            settings.default_close_rate
        ) as close_rate,
        case
            when cell_rates.close_rate is not null then 'cell'
            when segment_rates.close_rate is not null then 'segment'
            when overall_rates.close_rate is not null then 'overall'
            else 'default_rate'
        end as close_rate_basis,
        coalesce(segment_cycles.cycle_days, 0) as cycle_days,
        as_of.as_of_date

    from forecast_rows
    cross join settings
    cross join as_of
    left join close_rates as cell_rates
        on
            cell_rates.cell_level = 'cell'
            and forecast_rows.segment = cell_rates.segment
            and forecast_rows.health_band = cell_rates.health_band
            and forecast_rows.signal_tier = cell_rates.signal_tier
    left join close_rates as segment_rates
        on
            segment_rates.cell_level = 'segment'
            and forecast_rows.segment = segment_rates.segment
    left join close_rates as overall_rates
        on overall_rates.cell_level = 'overall'
    left join segment_cycles
        on forecast_rows.segment = segment_cycles.segment

),

close_dates as (

    select
        rates_applied.*,
        cast(
            {{ dbt.dateadd(
                'day',
                'rates_applied.cycle_days',
                'coalesce(rates_applied.created_date, rates_applied.as_of_date)',
            ) }} as date
        ) as cycle_end_date

    from rates_applied

),

close_quarters as (

    select
        close_dates.*,
        case
            when close_dates.cycle_end_date < close_dates.as_of_date then close_dates.as_of_date
            else close_dates.cycle_end_date
        end as expected_close_date

    from close_dates

),

final as (

    select
        cast(forecast_row_id as {{ dbt.type_string() }}) as forecast_row_id,
        cast(forecast_source as {{ dbt.type_string() }}) as forecast_source,
        cast(opportunity_id as {{ dbt.type_string() }}) as opportunity_id,
        cast(account_id as {{ dbt.type_string() }}) as account_id,
        cast(account_name as {{ dbt.type_string() }}) as account_name,
        cast(segment as {{ dbt.type_string() }}) as segment,
        cast(csm_owner as {{ dbt.type_string() }}) as csm_owner,
        cast(motion as {{ dbt.type_string() }}) as motion,
        cast(health_band as {{ dbt.type_string() }}) as health_band,
        cast(activation_status as {{ dbt.type_string() }}) as activation_status,
        cast(signal_tier as {{ dbt.type_string() }}) as signal_tier,
        cast(estimated_acv_usd as decimal(18, 2)) as estimated_acv_usd,
        cast(acv_basis as {{ dbt.type_string() }}) as acv_basis,
        cast(cell_closed_deals as {{ dbt.type_bigint() }}) as cell_closed_deals,
        cast(cell_observed_close_rate as decimal(10, 6)) as cell_observed_close_rate,
        cast(close_rate as decimal(10, 6)) as close_rate,
        cast(close_rate_basis as {{ dbt.type_string() }}) as close_rate_basis,
        cast(estimated_acv_usd * close_rate as decimal(18, 2)) as expected_expansion_arr_usd,
        created_date,
        expected_close_date,
        cast({{ dbt.date_trunc('quarter', 'expected_close_date') }} as date)
            as expected_close_quarter,
        as_of_date

    from close_quarters

)

select * from final
