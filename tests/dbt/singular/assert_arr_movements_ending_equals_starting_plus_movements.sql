-- Every account-month balances: ending = starting + new + reactivation
-- + expansion - contraction - churned + fx_impact, and expansion is the sum
-- of its four motions. Returns the rows that do not (amounts are exact
-- decimals, so any difference is a bug).
select
    account_id,
    month_end_date,
    starting_arr_usd,
    ending_arr_usd

from {{ ref('arr_movements') }}
where
    ending_arr_usd
    <> starting_arr_usd + new_arr_usd + reactivation_arr_usd + expansion_arr_usd
    - contraction_arr_usd - churned_arr_usd + fx_impact_usd
    or expansion_arr_usd
    <> seat_usage_arr_usd + tier_upgrade_arr_usd + cross_sell_arr_usd + price_uplift_arr_usd
