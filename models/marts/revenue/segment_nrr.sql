{#-
    The cohort and its segment are fixed at the window start
    (int_nrr_cohort_accounts): an account that grows from Mid-Market into
    Enterprise during the window stays in Mid-Market. The 'All' target is the
    NRR the company reaches when every segment exactly meets its target. A
    rating is the best bar cleared, else below_benchmarks.
-#}
with

cohort_accounts as (

    select * from {{ ref('int_nrr_cohort_accounts') }}

),

segment_nrr_targets as (

    select * from {{ ref('segment_nrr_targets') }}

),

benchmarks as (

    select * from {{ ref('company_benchmarks') }}

),

-- each cohort account with its segment's target, once in its segment and once in 'All'
cohort_scoped as (

    select
        cohort_accounts.*,
        segment_nrr_targets.target_nrr,
        segment_nrr_targets.typical_nrr_low,
        segment_nrr_targets.typical_nrr_high

    from cohort_accounts
    left join segment_nrr_targets
        on cohort_accounts.segment = segment_nrr_targets.segment

),

cohort_scoped_rows as (

    {{ segment_and_all_scopes('cohort_scoped') }}

),

segments_and_company as (

    select
        scope as segment,
        month_end_date,
        window_start_date,
        count(*) as cohort_accounts,
        sum(case when is_churned then 1 else 0 end) as churned_accounts,
        sum(starting_arr_usd) as starting_arr_usd,
        sum(expansion_arr_usd) as expansion_arr_usd,
        sum(contraction_arr_usd) as contraction_arr_usd,
        sum(churned_arr_usd) as churned_arr_usd,
        sum(retained_arr_usd) as retained_arr_usd,
        sum(ending_arr_usd) as ending_arr_usd,
        -- a segment's own target; for 'All' the targets weighted by starting ARR
        case
            when scope = 'All'
                then cast(sum(target_nrr * starting_arr_usd) as {{ type_double() }})
                    / nullif(sum(starting_arr_usd), 0)
            else max(target_nrr)
        end as target_nrr,
        case when scope = 'All' then null else max(typical_nrr_low) end as typical_nrr_low,
        case when scope = 'All' then null else max(typical_nrr_high) end as typical_nrr_high

    from cohort_scoped_rows
    group by
        scope,
        month_end_date,
        window_start_date

),

ratios as (

    select
        *,
        cast(ending_arr_usd as {{ type_double() }}) / nullif(starting_arr_usd, 0) as nrr,
        cast(retained_arr_usd as {{ type_double() }}) / nullif(starting_arr_usd, 0) as grr

    from segments_and_company

),

ratios_unpivoted as (

    select
        segment,
        month_end_date,
        'nrr' as metric,
        nrr as metric_value
    from ratios
    union all
    select
        segment,
        month_end_date,
        'grr' as metric,
        grr as metric_value
    from ratios

),

bars_cleared as (

    {{ best_bar_cleared(
        'ratios_unpivoted',
        ['segment', 'month_end_date', 'metric'],
        'metric_value',
        'benchmarks',
    ) }}

),

ratings as (

    select
        ratios.segment,
        ratios.month_end_date,
        {{ bar_rating('ratios.nrr', 'nrr_bars.rating', 'below_benchmarks') }} as nrr_rating,
        {{ bar_rating('ratios.grr', 'grr_bars.rating', 'below_benchmarks') }} as grr_rating

    from ratios
    left join bars_cleared as nrr_bars
        on
            ratios.segment = nrr_bars.segment
            and ratios.month_end_date = nrr_bars.month_end_date
            and nrr_bars.metric = 'nrr'
            and nrr_bars.bar_rank = 1
    left join bars_cleared as grr_bars
        on
            ratios.segment = grr_bars.segment
            and ratios.month_end_date = grr_bars.month_end_date
            and grr_bars.metric = 'grr'
            and grr_bars.bar_rank = 1

),

final as (

    select
        cast(ratios.segment as {{ dbt.type_string() }}) as segment,
        ratios.month_end_date,
        ratios.window_start_date,
        cast(ratios.cohort_accounts as {{ dbt.type_bigint() }}) as cohort_accounts,
        cast(ratios.churned_accounts as {{ dbt.type_bigint() }}) as churned_accounts,
        cast(ratios.starting_arr_usd as {{ type_decimal() }}) as starting_arr_usd,
        cast(ratios.retained_arr_usd as {{ type_decimal() }}) as retained_arr_usd,
        cast(ratios.expansion_arr_usd as {{ type_decimal() }}) as expansion_arr_usd,
        cast(ratios.contraction_arr_usd as {{ type_decimal() }}) as contraction_arr_usd,
        cast(ratios.churned_arr_usd as {{ type_decimal() }}) as churned_arr_usd,
        cast(ratios.ending_arr_usd as {{ type_decimal() }}) as ending_arr_usd,
        cast(ratios.nrr as decimal(10, 6)) as nrr,
        cast(ratios.grr as decimal(10, 6)) as grr,
        cast(ratios.target_nrr as decimal(10, 6)) as target_nrr,
        cast(ratios.nrr - ratios.target_nrr as decimal(10, 6)) as gap_to_target,
        cast(ratios.typical_nrr_low as decimal(10, 6)) as typical_nrr_low,
        cast(ratios.typical_nrr_high as decimal(10, 6)) as typical_nrr_high,
        cast(
            case
                when ratios.nrr is null or ratios.typical_nrr_high is null then null
                when ratios.nrr < coalesce(ratios.typical_nrr_low, ratios.target_nrr)
                    then 'below_typical_band'
                when ratios.nrr > ratios.typical_nrr_high then 'above_typical_band'
                else 'within_typical_band'
            end as {{ dbt.type_string() }}
        ) as nrr_band_position,
        cast(ratings.nrr_rating as {{ dbt.type_string() }}) as nrr_rating,
        cast(ratings.grr_rating as {{ dbt.type_string() }}) as grr_rating

    from ratios
    inner join ratings
        on
            ratios.segment = ratings.segment
            and ratios.month_end_date = ratings.month_end_date

)

select * from final
