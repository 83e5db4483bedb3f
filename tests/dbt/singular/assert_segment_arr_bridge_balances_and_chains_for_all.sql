-- Every bridge row balances (ending = starting + new + reactivation +
-- expansion - contraction - churned + fx_impact, expansion = the four
-- motions), and for 'All' each month starts where the previous one ended.
with

bridge as (

    select * from {{ ref('segment_arr_bridge') }}

),

month_ends as (

    select * from {{ ref('int_revenue_month_ends') }}

),

unbalanced as (

    select
        segment,
        month_end_date,
        'does not balance' as failure

    from bridge
    where
        ending_arr_usd
        <> starting_arr_usd + new_arr_usd + reactivation_arr_usd + expansion_arr_usd
        - contraction_arr_usd - churned_arr_usd + fx_impact_usd
        or expansion_arr_usd
        <> seat_usage_arr_usd + tier_upgrade_arr_usd + cross_sell_arr_usd + price_uplift_arr_usd

),

unchained as (

    select
        this_month.segment,
        this_month.month_end_date,
        'does not start at the previous ending' as failure

    from bridge as this_month
    inner join month_ends
        on this_month.month_end_date = month_ends.month_end_date
    inner join bridge as previous_month
        on
            this_month.segment = previous_month.segment
            and month_ends.previous_month_end_date = previous_month.month_end_date
    where
        this_month.segment = 'All'
        and this_month.starting_arr_usd <> previous_month.ending_arr_usd

)

select * from unbalanced
union all
select * from unchained
