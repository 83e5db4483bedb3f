{#-
    Trailing-12-month cohort NRR and GRR per segment and for 'All', at every
    spine month end that has a window start twelve month ends earlier. The
    cohort and its segment are fixed at the window start
    (int_nrr_cohort_accounts): an account that grows from Mid-Market into
    Enterprise during the window stays in Mid-Market, and new logos are out.

        nrr = (starting + expansion - contraction - churned) / starting
        grr = (starting - contraction - churned) / starting = retained / starting

    target_nrr comes from seeds.segment_nrr_targets; for 'All' it is the
    segments' targets weighted by the cohort's starting ARR (the NRR the
    company reaches when every segment exactly meets its target).
-#}
with

cohort_accounts as (

    select * from {{ ref('int_nrr_cohort_accounts') }}

),

segment_nrr_targets as (

    select * from {{ ref('segment_nrr_targets') }}

),

summed_per_segment as (

    select
        segment,
        month_end_date,
        window_start_date,
        count(*) as cohort_accounts,
        sum(case when is_churned then 1 else 0 end) as churned_accounts,
        sum(starting_arr_usd) as starting_arr_usd,
        sum(expansion_arr_usd) as expansion_arr_usd,
        sum(contraction_arr_usd) as contraction_arr_usd,
        sum(churned_arr_usd) as churned_arr_usd,
        sum(retained_arr_usd) as retained_arr_usd,
        sum(ending_arr_usd) as ending_arr_usd

    from cohort_accounts
    group by
        segment,
        month_end_date,
        window_start_date

),

segments_targeted as (

    select
        summed_per_segment.*,
        segment_nrr_targets.target_nrr

    from summed_per_segment
    left join segment_nrr_targets
        on summed_per_segment.segment = segment_nrr_targets.segment

),

company_summed as (

    select
        'All' as segment,
        month_end_date,
        window_start_date,
        sum(cohort_accounts) as cohort_accounts,
        sum(churned_accounts) as churned_accounts,
        sum(starting_arr_usd) as starting_arr_usd,
        sum(expansion_arr_usd) as expansion_arr_usd,
        sum(contraction_arr_usd) as contraction_arr_usd,
        sum(churned_arr_usd) as churned_arr_usd,
        sum(retained_arr_usd) as retained_arr_usd,
        sum(ending_arr_usd) as ending_arr_usd,
        sum(target_nrr * starting_arr_usd) / nullif(sum(starting_arr_usd), 0) as target_nrr

    from segments_targeted
    group by
        month_end_date,
        window_start_date

),

segments_and_company as (

    select * from segments_targeted
    union all
    select * from company_summed

),

final as (

    select
        cast(segment as {{ dbt.type_string() }}) as segment,
        month_end_date,
        window_start_date,
        cast(cohort_accounts as {{ dbt.type_bigint() }}) as cohort_accounts,
        cast(churned_accounts as {{ dbt.type_bigint() }}) as churned_accounts,
        cast(starting_arr_usd as decimal(18, 4)) as starting_arr_usd,
        cast(retained_arr_usd as decimal(18, 4)) as retained_arr_usd,
        cast(expansion_arr_usd as decimal(18, 4)) as expansion_arr_usd,
        cast(contraction_arr_usd as decimal(18, 4)) as contraction_arr_usd,
        cast(churned_arr_usd as decimal(18, 4)) as churned_arr_usd,
        cast(ending_arr_usd as decimal(18, 4)) as ending_arr_usd,
        cast(
            cast(ending_arr_usd as {{ dbt.type_numeric() }})
            / nullif(starting_arr_usd, 0) as decimal(10, 6)
        ) as nrr,
        cast(
            cast(retained_arr_usd as {{ dbt.type_numeric() }})
            / nullif(starting_arr_usd, 0) as decimal(10, 6)
        ) as grr,
        cast(target_nrr as decimal(10, 6)) as target_nrr,
        cast(
            cast(ending_arr_usd as {{ dbt.type_numeric() }}) / nullif(starting_arr_usd, 0)
            - target_nrr
            as decimal(10, 6)
        ) as gap_to_target

    from segments_and_company

)

select * from final
