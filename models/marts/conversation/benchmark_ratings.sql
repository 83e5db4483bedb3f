{#-
    Where each value comes from:
      - nrr and grr: the latest month end of segment_nrr (trailing 12 months);
        nrr_typical_band: the segment's NRR against its typical band
        (segment_nrr.nrr_band_position: below / within / above);
      - expansion_cac, expansion_win_rate, avg_days_to_first_expansion and
        avg_expansion_cycle_days: the last complete quarter of
        expansion_metrics_quarterly; the cycle is rated against the
        segment's playbook cycle (seeds.segment_playbooks cycle_days_max:
        within_playbook_cycle or slower_than_playbook_cycle).
    The rating: the best-ranked bar whose comparison the value satisfies,
    'below_benchmarks' when it clears none, 'no_data' without a value,
    'no_benchmark' for a scope or metric no bar applies to.
-#}
with

segment_nrr as (

    select * from {{ ref('segment_nrr') }}

),

quarterly as (

    select * from {{ ref('expansion_metrics_quarterly') }}

),

playbooks as (

    select * from {{ ref('segment_playbooks') }}

),

company_benchmarks as (

    select * from {{ ref('company_benchmarks') }}

),

playbook_benchmarks as (

    select * from {{ ref('playbook_benchmarks') }}

),

as_of as (

    select {{ as_of_date() }} as as_of_date

),

latest_month as (

    select max(segment_nrr.month_end_date) as month_end_date
    from segment_nrr
    cross join as_of
    where segment_nrr.month_end_date <= as_of.as_of_date

),

last_complete_quarter as (

    select max(quarterly.quarter_start_date) as quarter_start_date
    from quarterly
    cross join as_of
    where {{ dbt.dateadd('month', 3, 'quarterly.quarter_start_date') }} <= as_of.as_of_date

),

nrr_latest as (

    select segment_nrr.*
    from segment_nrr
    inner join latest_month
        on segment_nrr.month_end_date = latest_month.month_end_date

),

quarter_latest as (

    select
        quarterly.*,
        cast(
            {{ dbt.dateadd('day', -1, dbt.dateadd('month', 3, 'quarterly.quarter_start_date')) }}
            as date
        ) as quarter_end_date
    from quarterly
    inner join last_complete_quarter
        on quarterly.quarter_start_date = last_complete_quarter.quarter_start_date

),

measured as (

    select
        segment as scope,
        'nrr' as metric,
        month_end_date as measured_through_date,
        nrr as metric_value
    from nrr_latest
    union all
    select
        segment as scope,
        'grr' as metric,
        month_end_date as measured_through_date,
        grr as metric_value
    from nrr_latest
    union all
    select
        segment as scope,
        'expansion_cac' as metric,
        quarter_end_date as measured_through_date,
        expansion_cac as metric_value
    from quarter_latest
    union all
    select
        segment as scope,
        'expansion_win_rate' as metric,
        quarter_end_date as measured_through_date,
        expansion_win_rate as metric_value
    from quarter_latest
    union all
    select
        segment as scope,
        'avg_days_to_first_expansion' as metric,
        quarter_end_date as measured_through_date,
        avg_days_to_first_expansion as metric_value
    from quarter_latest
    union all
    select
        segment as scope,
        'avg_expansion_cycle_days' as metric,
        quarter_end_date as measured_through_date,
        avg_expansion_cycle_days as metric_value
    from quarter_latest

),

metrics_with_bars as (

    select metric from company_benchmarks
    union
    select metric from playbook_benchmarks

),

bars_cleared as (

    {{ best_bar_cleared(
        'measured',
        ['scope', 'metric'],
        'metric_value',
        ['company_benchmarks', 'playbook_benchmarks'],
    ) }}

),

rated as (

    select
        measured.scope,
        measured.metric,
        measured.measured_through_date,
        measured.metric_value,
        case
            when measured.metric_value is null then 'no_data'
            when measured.metric = 'avg_expansion_cycle_days' and playbooks.segment is null
                then 'no_benchmark'
            when measured.metric = 'avg_expansion_cycle_days'
                and measured.metric_value <= playbooks.cycle_days_max
                then 'within_playbook_cycle'
            when measured.metric = 'avg_expansion_cycle_days' then 'slower_than_playbook_cycle'
            when metrics_with_bars.metric is null then 'no_benchmark'
            else coalesce(bars_cleared.rating, 'below_benchmarks')
        end as rating,
        case
            when measured.metric = 'avg_expansion_cycle_days' then playbooks.cycle_days_max
            else bars_cleared.threshold_value
        end as bar_value

    from measured
    left join bars_cleared
        on
            measured.scope = bars_cleared.scope
            and measured.metric = bars_cleared.metric
            and bars_cleared.bar_rank = 1
    left join metrics_with_bars
        on measured.metric = metrics_with_bars.metric
    left join playbooks
        on measured.scope = playbooks.segment

),

typical_bands as (

    select
        segment as scope,
        'nrr_typical_band' as metric,
        month_end_date as measured_through_date,
        nrr as metric_value,
        coalesce(nrr_band_position, 'no_benchmark') as rating,
        typical_nrr_low as bar_value
    from nrr_latest

),

ratings as (

    select * from rated
    union all
    select * from typical_bands

),

final as (

    select
        cast(scope as {{ dbt.type_string() }}) as scope,
        cast(metric as {{ dbt.type_string() }}) as metric,
        cast(measured_through_date as date) as measured_through_date,
        cast(metric_value as {{ type_decimal() }}) as metric_value,
        cast(rating as {{ dbt.type_string() }}) as rating,
        cast(bar_value as {{ type_decimal() }}) as bar_value
    from ratings

)

select * from final
