{#-
    Every stage has a row in every breakdown, with zeros when no opportunity
    reached it. The conversion from the previous stage is null for
    trigger_fired and csql_created, whose previous stage is a firing that
    only counts here when it became a CSQL; SLA compliance counts the stages
    with an SLA whose previous stage was reached. A status is the best bar
    cleared, 'not_met' when none, 'no_data' without a value.
-#}
{%- set trigger_to_proposal_days = business_days_between(
    'in_window.attributed_fired_on', 'in_window.proposal_at'
) %}

with

opportunities as (

    select * from {{ ref('int_opportunities_attributed') }}

),

stages as (

    select * from {{ ref('int_opportunity_stages') }}

),

stage_slas as (

    select * from {{ ref('csql_stage_slas') }}

),

benchmarks as (

    select * from {{ ref('company_benchmarks') }}

),

settings as (

    select * from {{ ref('pipeline_settings') }}

),

in_window as (

    select opportunities.*
    from opportunities
    cross join settings
    where
        {{ dbt.datediff('opportunities.created_date', 'opportunities.as_of_date', 'day') }}
        < settings.funnel_window_days

),

breakdowns as (

    select
        opportunity_id,
        'all' as dimension,
        'All' as dimension_value
    from in_window

    union all

    select
        opportunity_id,
        'segment' as dimension,
        segment as dimension_value
    from in_window

    union all

    select
        opportunity_id,
        'owner' as dimension,
        csm_owner as dimension_value
    from in_window

    union all

    select
        opportunity_id,
        'motion' as dimension,
        motion as dimension_value
    from in_window

),

cohorts as (

    select
        breakdowns.dimension,
        breakdowns.dimension_value,
        max(in_window.as_of_date) as as_of_date,
        count(*) as csqls_created,
        sum(case when in_window.outcome = 'won' then 1 else 0 end) as closed_won,
        sum(case when in_window.outcome = 'lost' then 1 else 0 end) as closed_lost,
        sum(case when in_window.outcome = 'open' then 1 else 0 end) as open_opportunities,
        sum(
            case when in_window.attributed_fired_on is not null then 1 else 0 end
        ) as trigger_attributed_csqls,
        sum(in_window.amount_arr_usd) as pipeline_arr_usd,
        sum(
            case when in_window.outcome = 'won' then in_window.amount_arr_usd else 0 end
        ) as won_arr_usd,
        percentile_cont(0.5) within group (
            order by {{ trigger_to_proposal_days }}
        ) as median_trigger_to_proposal_business_days

    from breakdowns
    inner join in_window
        on breakdowns.opportunity_id = in_window.opportunity_id
    group by breakdowns.dimension, breakdowns.dimension_value

),

cohort_rates as (

    select
        cohorts.*,
        cast(cohorts.closed_won as {{ dbt.type_numeric() }})
        / nullif(cohorts.closed_won + cohorts.closed_lost, 0) as csql_to_close_rate

    from cohorts

),

benchmarked_values as (

    select
        dimension,
        dimension_value,
        'csql_to_close_rate' as metric,
        csql_to_close_rate as metric_value
    from cohort_rates

    union all

    select
        dimension,
        dimension_value,
        'trigger_to_proposal_business_days' as metric,
        median_trigger_to_proposal_business_days as metric_value
    from cohort_rates

),

bars_cleared as (

    {{ best_bar_cleared(
        'benchmarked_values',
        ['dimension', 'dimension_value', 'metric'],
        'metric_value',
        'benchmarks',
    ) }}

),

statuses as (

    select
        benchmarked_values.dimension,
        benchmarked_values.dimension_value,
        benchmarked_values.metric,
        {{ bar_rating(
            'benchmarked_values.metric_value', 'bars_cleared.rating', 'not_met'
        ) }} as status

    from benchmarked_values
    left join bars_cleared
        on
            benchmarked_values.dimension = bars_cleared.dimension
            and benchmarked_values.dimension_value = bars_cleared.dimension_value
            and benchmarked_values.metric = bars_cleared.metric
            and bars_cleared.bar_rank = 1

),

stage_metrics as (

    select
        breakdowns.dimension,
        breakdowns.dimension_value,
        stages.stage,
        count(*) as opportunities_reached,
        sum(
            case when stages.clock_started_at is not null then 1 else 0 end
        ) as reached_from_previous_stage,
        sum(case when stages.is_sla_met is not null then 1 else 0 end) as sla_applicable,
        sum(case when stages.is_sla_met then 1 else 0 end) as sla_met,
        percentile_cont(0.5) within group (
            order by stages.business_days_from_previous_stage
        ) as median_business_days_from_previous_stage,
        percentile_cont(0.5) within group (
            order by stages.hours_from_previous_stage
        ) as median_hours_from_previous_stage

    from breakdowns
    inner join stages
        on breakdowns.opportunity_id = stages.opportunity_id
    group by breakdowns.dimension, breakdowns.dimension_value, stages.stage

),

funnel_rows as (

    select
        cohort_rates.dimension,
        cohort_rates.dimension_value,
        stage_slas.stage,
        stage_slas.stage_order,
        stage_slas.previous_stage,
        stage_slas.sla_value,
        stage_slas.sla_unit,
        coalesce(stage_metrics.opportunities_reached, 0) as opportunities_reached,
        coalesce(stage_metrics.reached_from_previous_stage, 0) as reached_from_previous_stage,
        coalesce(stage_metrics.sla_applicable, 0) as sla_applicable,
        coalesce(stage_metrics.sla_met, 0) as sla_met,
        stage_metrics.median_business_days_from_previous_stage,
        stage_metrics.median_hours_from_previous_stage,
        cohort_rates.as_of_date,
        cohort_rates.csqls_created,
        cohort_rates.closed_won,
        cohort_rates.closed_lost,
        cohort_rates.open_opportunities,
        cohort_rates.trigger_attributed_csqls,
        cohort_rates.pipeline_arr_usd,
        cohort_rates.won_arr_usd,
        cohort_rates.csql_to_close_rate,
        cohort_rates.median_trigger_to_proposal_business_days

    from cohort_rates
    cross join stage_slas
    left join stage_metrics
        on
            cohort_rates.dimension = stage_metrics.dimension
            and cohort_rates.dimension_value = stage_metrics.dimension_value
            and stage_slas.stage = stage_metrics.stage

),

previous_stage_counts as (

    select
        funnel_rows.*,
        case
            when funnel_rows.stage_order > 1
                then
                    cast(funnel_rows.reached_from_previous_stage as {{ dbt.type_numeric() }})
                    / nullif(previous_rows.opportunities_reached, 0)
        end as conversion_from_previous_rate

    from funnel_rows
    left join funnel_rows as previous_rows
        on
            funnel_rows.dimension = previous_rows.dimension
            and funnel_rows.dimension_value = previous_rows.dimension_value
            and funnel_rows.previous_stage = previous_rows.stage

),

final as (

    select
        cast(previous_stage_counts.dimension as {{ dbt.type_string() }}) as dimension,
        cast(previous_stage_counts.dimension_value as {{ dbt.type_string() }}) as dimension_value,
        cast(previous_stage_counts.stage as {{ dbt.type_string() }}) as stage,
        cast(previous_stage_counts.stage_order as int) as stage_order,
        cast(previous_stage_counts.previous_stage as {{ dbt.type_string() }}) as previous_stage,
        cast(
            previous_stage_counts.opportunities_reached as {{ dbt.type_bigint() }}
        ) as opportunities_reached,
        cast(
            previous_stage_counts.conversion_from_previous_rate as decimal(10, 6)
        ) as conversion_from_previous_rate,
        cast(
            cast(previous_stage_counts.opportunities_reached as {{ dbt.type_numeric() }})
            / nullif(previous_stage_counts.csqls_created, 0) as decimal(10, 6)
        ) as share_of_csqls_rate,
        cast(
            previous_stage_counts.median_business_days_from_previous_stage as decimal(10, 2)
        ) as median_business_days_from_previous_stage,
        cast(
            previous_stage_counts.median_hours_from_previous_stage as decimal(10, 2)
        ) as median_hours_from_previous_stage,
        cast(previous_stage_counts.sla_value as int) as sla_value,
        cast(previous_stage_counts.sla_unit as {{ dbt.type_string() }}) as sla_unit,
        cast(previous_stage_counts.sla_applicable as {{ dbt.type_bigint() }}) as sla_applicable,
        cast(previous_stage_counts.sla_met as {{ dbt.type_bigint() }}) as sla_met,
        cast(
            cast(previous_stage_counts.sla_met as {{ dbt.type_numeric() }})
            / nullif(previous_stage_counts.sla_applicable, 0) as decimal(10, 6)
        ) as sla_compliance_rate,
        cast(previous_stage_counts.csqls_created as {{ dbt.type_bigint() }}) as csqls_created,
        cast(previous_stage_counts.closed_won as {{ dbt.type_bigint() }}) as closed_won,
        cast(previous_stage_counts.closed_lost as {{ dbt.type_bigint() }}) as closed_lost,
        cast(
            previous_stage_counts.open_opportunities as {{ dbt.type_bigint() }}
        ) as open_opportunities,
        cast(
            previous_stage_counts.trigger_attributed_csqls as {{ dbt.type_bigint() }}
        ) as trigger_attributed_csqls,
        cast(previous_stage_counts.pipeline_arr_usd as decimal(18, 2)) as pipeline_arr_usd,
        cast(previous_stage_counts.won_arr_usd as decimal(18, 2)) as won_arr_usd,
        cast(previous_stage_counts.csql_to_close_rate as decimal(10, 6)) as csql_to_close_rate,
        cast(close_statuses.status as {{ dbt.type_string() }}) as csql_to_close_status,
        cast(
            previous_stage_counts.median_trigger_to_proposal_business_days as decimal(10, 2)
        ) as median_trigger_to_proposal_business_days,
        cast(proposal_statuses.status as {{ dbt.type_string() }}) as trigger_to_proposal_status,
        previous_stage_counts.as_of_date

    from previous_stage_counts
    inner join statuses as close_statuses
        on
            previous_stage_counts.dimension = close_statuses.dimension
            and previous_stage_counts.dimension_value = close_statuses.dimension_value
            and close_statuses.metric = 'csql_to_close_rate'
    inner join statuses as proposal_statuses
        on
            previous_stage_counts.dimension = proposal_statuses.dimension
            and previous_stage_counts.dimension_value = proposal_statuses.dimension_value
            and proposal_statuses.metric = 'trigger_to_proposal_business_days'

)

select * from final
