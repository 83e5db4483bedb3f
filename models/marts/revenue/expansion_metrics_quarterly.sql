{#-
    The definitions:
    - expansion CAC = cs_costs of the quarter / expansion ARR won, where "won"
      is the expansion ARR of the motions seeds.expansion_motions counts as
      expansion (seat/usage, tier upgrade, cross-sell - not renewal price
      uplifts), against the bar of seeds.company_benchmarks (expansion_cac,
      target);
    - expansion revenue rate = expansion ARR / all ARR added (new +
      reactivation + expansion);
    - expansion win rate = opportunities created in the quarter that are won
      / all created in it (the CSQLs identified), so recent quarters still
      rise as open ones close;
    - expansion cycle days = mean days from CSQL created to closed, for the
      opportunities won in the quarter;
    - expansion ARR per customer = expansion ARR / accounts with ARR at the
      start of the quarter;
    - time to first expansion = mean days from an account's first month end
      with ARR to the month end of its first expansion, for the accounts whose
      first expansion falls in the quarter;
    - logo churn in the quarter of the accounts with ARR at its start, split
      by whether they had expanded before the quarter.
    "Expanded" is int_account_expansions (a counted motion or a won expansion
    opportunity; a renewal escalator alone is not an expansion).
    Revenue figures use the segment at the start of each month (as
    arr_movements); opportunities use the account's segment on the as-of
    date, as the CRM has no segment history.
-#}
with

arr_movements as (

    select * from {{ ref('arr_movements') }}

),

expansions as (

    select * from {{ ref('int_account_expansions') }}

),

month_ends as (

    select * from {{ ref('int_revenue_month_ends') }}

),

account_arr as (

    select * from {{ ref('int_account_arr_monthly') }}

),

accounts as (

    select * from {{ ref('int_accounts_segmented') }}

),

opportunities as (

    select * from {{ ref('stg_crm__opportunities') }}

),

cs_costs as (

    select * from {{ ref('stg_finance__cs_costs') }}

),

expansion_motions as (

    select * from {{ ref('expansion_motions') }}

),

company_benchmarks as (

    select * from {{ ref('company_benchmarks') }}

),

quarters as (

    select distinct quarter_start_date
    from month_ends

),

cac_motion_weights as (

    -- 1 for the motions whose ARR counts as "won" for expansion CAC, else 0
    select
        max(
            case when expansion_motion = 'seat_usage' then cac_weight else 0 end
        ) as seat_usage_weight,
        max(
            case when expansion_motion = 'tier_upgrade' then cac_weight else 0 end
        ) as tier_upgrade_weight,
        max(
            case when expansion_motion = 'cross_sell' then cac_weight else 0 end
        ) as cross_sell_weight,
        max(
            case when expansion_motion = 'price_uplift' then cac_weight else 0 end
        ) as price_uplift_weight

    from (
        select
            expansion_motion,
            case when counts_as_expansion then 1 else 0 end as cac_weight
        from expansion_motions
    ) as weighted_motions

),

cac_bar as (

    select threshold_value as expansion_cac_target

    from company_benchmarks
    where metric = 'expansion_cac' and rating = 'target'

),

first_expansions as (

    -- the month of the account's first expansion (int_account_expansions)
    select
        expansions.account_id,
        min(month_ends.month_end_date) as first_expansion_month_end_date

    from expansions
    inner join month_ends
        on
            expansions.expansion_date > month_ends.previous_month_end_date
            and expansions.expansion_date <= month_ends.month_end_date
    group by expansions.account_id

),

first_arr as (

    select
        account_id,
        min(month_end_date) as first_arr_month_end_date

    from account_arr
    group by account_id

),

movements_in_quarters as (

    select
        arr_movements.account_id,
        arr_movements.segment,
        arr_movements.movement,
        month_ends.quarter_start_date,
        arr_movements.new_arr_usd,
        arr_movements.reactivation_arr_usd,
        arr_movements.expansion_arr_usd,
        arr_movements.seat_usage_arr_usd * cac_motion_weights.seat_usage_weight
        + arr_movements.tier_upgrade_arr_usd * cac_motion_weights.tier_upgrade_weight
        + arr_movements.cross_sell_arr_usd * cac_motion_weights.cross_sell_weight
        + arr_movements.price_uplift_arr_usd * cac_motion_weights.price_uplift_weight
            as expansion_arr_won_usd,
        month_ends.month_start_date = month_ends.quarter_start_date
        and arr_movements.starting_arr_usd > 0 as is_customer_at_quarter_start,
        coalesce(
            first_expansions.first_expansion_month_end_date < month_ends.quarter_start_date, false
        ) as has_expanded_before_quarter

    from arr_movements
    inner join month_ends
        on arr_movements.month_end_date = month_ends.month_end_date
    cross join cac_motion_weights
    left join first_expansions
        on arr_movements.account_id = first_expansions.account_id

),

movements_rolled_up as (

    {{ segment_and_all_scopes('movements_in_quarters') }}

),

revenue_per_segment as (

    select
        scope as segment,
        quarter_start_date,
        sum(new_arr_usd) as new_arr_usd,
        sum(reactivation_arr_usd) as reactivation_arr_usd,
        sum(expansion_arr_usd) as expansion_arr_usd,
        sum(expansion_arr_won_usd) as expansion_arr_won_usd,
        sum(case when is_customer_at_quarter_start then 1 else 0 end) as customers_at_quarter_start

    from movements_rolled_up
    group by
        scope,
        quarter_start_date

),

account_quarters as (

    -- accounts with ARR at the start of the quarter, in their segment then
    select
        account_id,
        quarter_start_date,
        max(case when is_customer_at_quarter_start then segment end) as segment,
        max(case when has_expanded_before_quarter then 1 else 0 end) as has_expanded_before,
        max(case when movement = 'churn' then 1 else 0 end) as has_churned

    from movements_in_quarters
    group by
        account_id,
        quarter_start_date

),

account_quarters_with_segment as (

    select * from account_quarters
    where segment is not null

),

account_quarters_rolled_up as (

    {{ segment_and_all_scopes('account_quarters_with_segment') }}

),

churn_per_segment as (

    select
        scope as segment,
        quarter_start_date,
        sum(has_expanded_before) as expanded_accounts_at_start,
        sum(has_expanded_before * has_churned) as expanded_churned_accounts,
        sum(1 - has_expanded_before) as never_expanded_accounts_at_start,
        sum((1 - has_expanded_before) * has_churned) as never_expanded_churned_accounts

    from account_quarters_rolled_up
    group by
        scope,
        quarter_start_date

),

first_expansions_timed as (

    select
        arr_movements.segment,
        month_ends.quarter_start_date,
        {{ dbt.datediff(
            'first_arr.first_arr_month_end_date',
            'first_expansions.first_expansion_month_end_date',
            'day'
        ) }} as days_to_first_expansion

    from first_expansions
    inner join first_arr
        on first_expansions.account_id = first_arr.account_id
    inner join month_ends
        on first_expansions.first_expansion_month_end_date = month_ends.month_end_date
    inner join arr_movements
        on
            first_expansions.account_id = arr_movements.account_id
            and first_expansions.first_expansion_month_end_date = arr_movements.month_end_date

),

first_expansions_rolled_up as (

    {{ segment_and_all_scopes('first_expansions_timed') }}

),

first_expansions_per_segment as (

    select
        scope as segment,
        quarter_start_date,
        count(*) as first_expansion_accounts,
        avg(cast(days_to_first_expansion as {{ dbt.type_numeric() }}))
            as avg_days_to_first_expansion

    from first_expansions_rolled_up
    group by
        scope,
        quarter_start_date

),

opportunities_dated as (

    select
        opportunities.outcome,
        accounts.segment,
        cast({{ dbt.date_trunc('quarter', 'opportunities.created_at') }} as date)
            as created_quarter_start_date,
        cast({{ dbt.date_trunc('quarter', 'opportunities.closed_at') }} as date)
            as closed_quarter_start_date,
        {{ dbt.datediff('opportunities.created_at', 'opportunities.closed_at', 'day') }}
            as cycle_days

    from opportunities
    inner join accounts
        on opportunities.account_id = accounts.account_id

),

opportunities_rolled_up as (

    {{ segment_and_all_scopes('opportunities_dated') }}

),

opportunities_identified_per_segment as (

    select
        scope as segment,
        created_quarter_start_date as quarter_start_date,
        count(*) as identified_opportunities,
        sum(case when outcome = 'won' then 1 else 0 end) as won_opportunities

    from opportunities_rolled_up
    group by
        scope,
        created_quarter_start_date

),

opportunities_won_per_segment as (

    select
        scope as segment,
        closed_quarter_start_date as quarter_start_date,
        avg(cast(cycle_days as {{ dbt.type_numeric() }})) as avg_expansion_cycle_days

    from opportunities_rolled_up
    where outcome = 'won' and closed_quarter_start_date is not null
    group by
        scope,
        closed_quarter_start_date

),

costs_dated as (

    select
        cs_costs.segment,
        cs_costs.amount_usd,
        cast({{ dbt.date_trunc('quarter', 'cs_costs.month_start_date') }} as date)
            as quarter_start_date

    from cs_costs

),

costs_rolled_up as (

    {{ segment_and_all_scopes('costs_dated') }}

),

costs_per_segment as (

    select
        scope as segment,
        quarter_start_date,
        sum(amount_usd) as cs_cost_usd

    from costs_rolled_up
    group by
        scope,
        quarter_start_date

),

segment_quarters as (

    -- every segment that has revenue, for every quarter of the spine
    select
        segments.segment,
        quarters.quarter_start_date

    from (select distinct segment from revenue_per_segment) as segments
    cross join quarters

),

metrics_joined as (

    select
        segment_quarters.segment,
        segment_quarters.quarter_start_date,
        revenue_per_segment.customers_at_quarter_start,
        revenue_per_segment.new_arr_usd,
        revenue_per_segment.reactivation_arr_usd,
        revenue_per_segment.expansion_arr_usd,
        revenue_per_segment.expansion_arr_won_usd,
        costs_per_segment.cs_cost_usd,
        opportunities_identified_per_segment.identified_opportunities,
        opportunities_identified_per_segment.won_opportunities,
        opportunities_won_per_segment.avg_expansion_cycle_days,
        first_expansions_per_segment.first_expansion_accounts,
        first_expansions_per_segment.avg_days_to_first_expansion,
        churn_per_segment.expanded_accounts_at_start,
        churn_per_segment.expanded_churned_accounts,
        churn_per_segment.never_expanded_accounts_at_start,
        churn_per_segment.never_expanded_churned_accounts,
        cac_bar.expansion_cac_target

    from segment_quarters
    cross join cac_bar
    left join revenue_per_segment
        on
            segment_quarters.segment = revenue_per_segment.segment
            and segment_quarters.quarter_start_date = revenue_per_segment.quarter_start_date
    left join costs_per_segment
        on
            segment_quarters.segment = costs_per_segment.segment
            and segment_quarters.quarter_start_date = costs_per_segment.quarter_start_date
    left join opportunities_identified_per_segment
        on
            segment_quarters.segment = opportunities_identified_per_segment.segment
            and segment_quarters.quarter_start_date
            = opportunities_identified_per_segment.quarter_start_date
    left join opportunities_won_per_segment
        on
            segment_quarters.segment = opportunities_won_per_segment.segment
            and segment_quarters.quarter_start_date
            = opportunities_won_per_segment.quarter_start_date
    left join first_expansions_per_segment
        on
            segment_quarters.segment = first_expansions_per_segment.segment
            and segment_quarters.quarter_start_date
            = first_expansions_per_segment.quarter_start_date
    left join churn_per_segment
        on
            segment_quarters.segment = churn_per_segment.segment
            and segment_quarters.quarter_start_date = churn_per_segment.quarter_start_date

),

zeros_filled as (

    select
        segment,
        quarter_start_date,
        coalesce(customers_at_quarter_start, 0) as customers_at_quarter_start,
        coalesce(new_arr_usd, 0) as new_arr_usd,
        coalesce(reactivation_arr_usd, 0) as reactivation_arr_usd,
        coalesce(expansion_arr_usd, 0) as expansion_arr_usd,
        coalesce(expansion_arr_won_usd, 0) as expansion_arr_won_usd,
        coalesce(cs_cost_usd, 0) as cs_cost_usd,
        coalesce(identified_opportunities, 0) as identified_opportunities,
        coalesce(won_opportunities, 0) as won_opportunities,
        avg_expansion_cycle_days,
        coalesce(first_expansion_accounts, 0) as first_expansion_accounts,
        avg_days_to_first_expansion,
        coalesce(expanded_accounts_at_start, 0) as expanded_accounts_at_start,
        coalesce(expanded_churned_accounts, 0) as expanded_churned_accounts,
        coalesce(never_expanded_accounts_at_start, 0) as never_expanded_accounts_at_start,
        coalesce(never_expanded_churned_accounts, 0) as never_expanded_churned_accounts,
        expansion_cac_target,
        cast(cs_cost_usd as {{ dbt.type_numeric() }})
        / nullif(expansion_arr_won_usd, 0) as expansion_cac

    from metrics_joined

),

final as (

    select
        cast(segment as {{ dbt.type_string() }}) as segment,
        quarter_start_date,
        cast(customers_at_quarter_start as {{ dbt.type_bigint() }}) as customers_at_quarter_start,
        cast(new_arr_usd as {{ type_decimal() }}) as new_arr_usd,
        cast(reactivation_arr_usd as {{ type_decimal() }}) as reactivation_arr_usd,
        cast(expansion_arr_usd as {{ type_decimal() }}) as expansion_arr_usd,
        cast(expansion_arr_won_usd as {{ type_decimal() }}) as expansion_arr_won_usd,
        cast(cs_cost_usd as {{ type_decimal() }}) as cs_cost_usd,
        cast(expansion_cac as decimal(12, 6)) as expansion_cac,
        cast(expansion_cac_target as decimal(12, 6)) as expansion_cac_target,
        expansion_cac < expansion_cac_target as is_expansion_cac_below_target,
        cast(
            cast(expansion_arr_usd as {{ dbt.type_numeric() }})
            / nullif(new_arr_usd + reactivation_arr_usd + expansion_arr_usd, 0)
            as decimal(10, 6)
        ) as expansion_revenue_rate,
        cast(identified_opportunities as {{ dbt.type_bigint() }}) as identified_opportunities,
        cast(won_opportunities as {{ dbt.type_bigint() }}) as won_opportunities,
        cast(
            cast(won_opportunities as {{ dbt.type_numeric() }})
            / nullif(identified_opportunities, 0)
            as decimal(10, 6)
        ) as expansion_win_rate,
        cast(avg_expansion_cycle_days as decimal(10, 2)) as avg_expansion_cycle_days,
        cast(
            cast(expansion_arr_usd as {{ dbt.type_numeric() }})
            / nullif(customers_at_quarter_start, 0)
            as {{ type_decimal() }}
        ) as expansion_arr_per_customer_usd,
        cast(first_expansion_accounts as {{ dbt.type_bigint() }}) as first_expansion_accounts,
        cast(avg_days_to_first_expansion as decimal(10, 2)) as avg_days_to_first_expansion,
        cast(expanded_accounts_at_start as {{ dbt.type_bigint() }}) as expanded_accounts_at_start,
        cast(expanded_churned_accounts as {{ dbt.type_bigint() }}) as expanded_churned_accounts,
        cast(
            cast(expanded_churned_accounts as {{ dbt.type_numeric() }})
            / nullif(expanded_accounts_at_start, 0)
            as decimal(10, 6)
        ) as expanded_logo_churn_rate,
        cast(never_expanded_accounts_at_start as {{ dbt.type_bigint() }})
            as never_expanded_accounts_at_start,
        cast(never_expanded_churned_accounts as {{ dbt.type_bigint() }})
            as never_expanded_churned_accounts,
        cast(
            cast(never_expanded_churned_accounts as {{ dbt.type_numeric() }})
            / nullif(never_expanded_accounts_at_start, 0)
            as decimal(10, 6)
        ) as never_expanded_logo_churn_rate

    from zeros_filled

)

select * from final
