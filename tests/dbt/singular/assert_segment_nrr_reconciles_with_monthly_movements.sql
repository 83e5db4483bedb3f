-- At every window end and for every segment (and 'All'), the cohort's ARR
-- change over the 12 months (segment_nrr: expansion - contraction - churned)
-- equals the sum of the cohort accounts' monthly movements in arr_movements
-- over the months after the window start up to the window end (new +
-- reactivation + expansion - contraction - churned + fx_impact). The two are
-- computed independently (point to point vs month by month). Returns the
-- segment-windows that differ by a cent or more. Whole months only: the
-- partial as-of month's window starts mid-month (a year before the as-of
-- date), between two month ends, where no monthly movement is cut; its
-- cohort is tested on hand-made data (int_nrr_cohort_accounts unit test).
with

segment_nrr as (

    select * from {{ ref('segment_nrr') }}

),

cohort_accounts as (

    select * from {{ ref('int_nrr_cohort_accounts') }}

),

arr_movements as (

    select * from {{ ref('arr_movements') }}

),

month_ends as (

    select * from {{ ref('int_revenue_month_ends') }}

),

cohort_movements as (

    select
        cohort_accounts.segment,
        cohort_accounts.month_end_date,
        sum(
            arr_movements.new_arr_usd
            + arr_movements.reactivation_arr_usd
            + arr_movements.expansion_arr_usd
            - arr_movements.contraction_arr_usd
            - arr_movements.churned_arr_usd
            + arr_movements.fx_impact_usd
        ) as movements_arr_usd

    from cohort_accounts
    inner join arr_movements
        on
            cohort_accounts.account_id = arr_movements.account_id
            and cohort_accounts.window_start_date < arr_movements.month_end_date
            and cohort_accounts.month_end_date >= arr_movements.month_end_date
    group by
        cohort_accounts.segment,
        cohort_accounts.month_end_date

),

segments_and_company as (

    select
        segment,
        month_end_date,
        movements_arr_usd
    from cohort_movements
    union all
    select
        'All' as segment,
        month_end_date,
        sum(movements_arr_usd) as movements_arr_usd
    from cohort_movements
    group by month_end_date

)

select
    segment_nrr.segment,
    segment_nrr.month_end_date,
    segment_nrr.expansion_arr_usd - segment_nrr.contraction_arr_usd - segment_nrr.churned_arr_usd
        as cohort_change_arr_usd,
    segments_and_company.movements_arr_usd

from segment_nrr
inner join month_ends
    on
        segment_nrr.month_end_date = month_ends.month_end_date
        and not month_ends.is_partial_month
left join segments_and_company
    on
        segment_nrr.segment = segments_and_company.segment
        and segment_nrr.month_end_date = segments_and_company.month_end_date
where
    abs(
        segment_nrr.expansion_arr_usd
        - segment_nrr.contraction_arr_usd
        - segment_nrr.churned_arr_usd
        - coalesce(segments_and_company.movements_arr_usd, 0)
    ) >= 0.01
