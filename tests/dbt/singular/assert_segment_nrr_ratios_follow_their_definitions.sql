-- segment_nrr identities: nrr = (starting + expansion - contraction -
-- churned) / starting = ending / starting; grr = retained / starting with
-- retained = starting - contraction - churned; grr <= 1 <= nrr + churn share
-- is not assumed, only grr <= 1 and grr <= nrr; gap = nrr - target_nrr.
-- Ratios are stored with 6 decimals, hence the 0.000001 tolerance.
select
    segment,
    month_end_date,
    nrr,
    grr,
    gap_to_target

from {{ ref('segment_nrr') }}
where
    starting_arr_usd + expansion_arr_usd - contraction_arr_usd - churned_arr_usd <> ending_arr_usd
    or retained_arr_usd <> starting_arr_usd - contraction_arr_usd - churned_arr_usd
    or abs(
        nrr
        - (starting_arr_usd + expansion_arr_usd - contraction_arr_usd - churned_arr_usd)
        / starting_arr_usd
    )
    > 0.000001
    or abs(grr - retained_arr_usd / starting_arr_usd) > 0.000001
    or grr > 1
    or grr > nrr
    or abs(gap_to_target - (nrr - target_nrr)) > 0.000002
