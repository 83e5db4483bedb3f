{#-
    weekly_metrics_weeks is seeds.pipeline_settings'. The partial as-of week
    runs to the as-of date. The week-over-week change is absolute and
    relative to the previous value; metric units and windows from
    seeds.weekly_metric_definitions.

    The values (weekly_values: weekly_metrics_weeks + 1 weeks, the oldest
    one there only to give the first reported week its previous value;
    weeks_back = 0 is the as-of week):

    - week metrics: events dated in the week (CSQLs created, their ARR,
      ARR closed won);
    - trailing_weeks metrics: events dated in the rate_window_weeks weeks
      ending with the week (CSQL-to-close = won / (won + lost) by close
      day; median trigger-to-proposal business days by proposal day; SLA
      compliance of the stages reached, by the day they were reached);
    - nrr_trailing_12m: segment_nrr, segment All, latest month end on or
      before the week's last day (as-of date for the partial week);
    - expansion_cac: expansion_metrics_quarterly, segment All, quarter of
      that day (quarter to date).
    Counts and sums are 0 for a week without events; a rate without a
    denominator is null.
-#}
{%- set weeks_back_days = '-7 * week_numbers.weeks_back' %}
{%- set rate_window_days = '-7 * (settings.rate_window_weeks - 1)' %}
{%- set trigger_to_proposal_days = business_days_between(
    'opportunities.attributed_fired_on', 'opportunities.proposal_at'
) %}

with

opportunities as (

    select * from {{ ref('int_opportunities_attributed') }}

),

stages as (

    select * from {{ ref('int_opportunity_stages') }}

),

segment_nrr as (

    select * from {{ ref('segment_nrr') }}

),

expansion_metrics as (

    select * from {{ ref('expansion_metrics_quarterly') }}

),

settings as (

    select * from {{ ref('pipeline_settings') }}

),

metric_definitions as (

    select * from {{ ref('weekly_metric_definitions') }}

),

as_of as (

    select {{ as_of_date() }} as as_of_date

),

week_numbers as (

    select n as weeks_back
    from ({{ integers_from_zero(1000) }}) as integers

),

as_of_week as (

    select
        as_of_date,
        cast({{ dbt.date_trunc('week', 'as_of_date') }} as date) as as_of_week_start_date
    from as_of

),

week_starts as (

    select
        week_numbers.weeks_back,
        as_of_week.as_of_date,
        cast(
            {{ dbt.dateadd('day', weeks_back_days, 'as_of_week.as_of_week_start_date') }} as date
        ) as week_start_date

    from week_numbers
    cross join as_of_week
    cross join settings
    where week_numbers.weeks_back <= settings.weekly_metrics_weeks

),

week_ends as (

    select
        week_starts.*,
        cast({{ dbt.dateadd('day', '6', 'week_starts.week_start_date') }} as date) as week_end_date,
        cast(
            {{ dbt.dateadd('day', rate_window_days, 'week_starts.week_start_date') }} as date
        ) as rate_window_start_date

    from week_starts
    cross join settings

),

week_periods as (

    select
        week_ends.*,
        case
            when week_ends.week_end_date > week_ends.as_of_date then week_ends.as_of_date
            else week_ends.week_end_date
        end as period_end_date

    from week_ends

),

weeks as (

    select
        week_periods.*,
        cast(
            {{ dbt.date_trunc('quarter', 'week_periods.period_end_date') }} as date
        ) as period_quarter_start_date

    from week_periods

),

created_in_week as (

    select
        weeks.week_start_date,
        count(opportunities.opportunity_id) as csqls_created,
        coalesce(sum(opportunities.amount_arr_usd), 0) as pipeline_created_usd

    from weeks
    left join opportunities
        on
            weeks.week_start_date <= opportunities.created_date
            and weeks.period_end_date >= opportunities.created_date
    group by weeks.week_start_date

),

won_in_week as (

    select
        weeks.week_start_date,
        coalesce(sum(opportunities.amount_arr_usd), 0) as arr_won_usd

    from weeks
    left join opportunities
        on
            opportunities.outcome = 'won'
            and weeks.week_start_date <= cast(opportunities.closed_at as date)
            and weeks.period_end_date >= cast(opportunities.closed_at as date)
    group by weeks.week_start_date

),

closed_in_window as (

    select
        weeks.week_start_date,
        sum(case when opportunities.outcome = 'won' then 1 else 0 end) as won_deals,
        count(opportunities.opportunity_id) as closed_deals

    from weeks
    left join opportunities
        on
            opportunities.outcome in ('won', 'lost')
            and weeks.rate_window_start_date <= cast(opportunities.closed_at as date)
            and weeks.period_end_date >= cast(opportunities.closed_at as date)
    group by weeks.week_start_date

),

proposals_in_window as (

    select
        weeks.week_start_date,
        percentile_cont(0.5) within group (
            order by {{ trigger_to_proposal_days }}
        ) as median_trigger_to_proposal_business_days

    from weeks
    left join opportunities
        on
            opportunities.attributed_fired_on is not null
            and weeks.rate_window_start_date <= cast(opportunities.proposal_at as date)
            and weeks.period_end_date >= cast(opportunities.proposal_at as date)
    group by weeks.week_start_date

),

slas_in_window as (

    select
        weeks.week_start_date,
        sum(case when stages.is_sla_met then 1 else 0 end) as sla_met,
        count(stages.opportunity_id) as sla_applicable

    from weeks
    left join stages
        on
            stages.is_sla_met is not null
            and weeks.rate_window_start_date <= stages.entered_date
            and weeks.period_end_date >= stages.entered_date
    group by weeks.week_start_date

),

nrr_candidates as (

    select
        weeks.week_start_date,
        segment_nrr.nrr,
        row_number() over (
            partition by weeks.week_start_date order by segment_nrr.month_end_date desc
        ) as recency_rank

    from weeks
    inner join segment_nrr
        on
            segment_nrr.segment = 'All'
            and weeks.period_end_date >= segment_nrr.month_end_date

),

cac_in_quarter as (

    select
        weeks.week_start_date,
        expansion_metrics.expansion_cac

    from weeks
    inner join expansion_metrics
        on
            expansion_metrics.segment = 'All'
            and weeks.period_quarter_start_date = expansion_metrics.quarter_start_date

),

metric_values as (

    select
        week_start_date,
        'expansion_pipeline_created_usd' as metric_id,
        cast(pipeline_created_usd as {{ dbt.type_numeric() }}) as metric_value
    from created_in_week

    union all

    select
        week_start_date,
        'csqls_created' as metric_id,
        cast(csqls_created as {{ dbt.type_numeric() }}) as metric_value
    from created_in_week

    union all

    select
        week_start_date,
        'csql_to_close_rate' as metric_id,
        cast(won_deals as {{ dbt.type_numeric() }}) / nullif(closed_deals, 0) as metric_value
    from closed_in_window

    union all

    select
        week_start_date,
        'expansion_arr_won_usd' as metric_id,
        cast(arr_won_usd as {{ dbt.type_numeric() }}) as metric_value
    from won_in_week

    union all

    select
        week_start_date,
        'nrr_trailing_12m' as metric_id,
        cast(nrr as {{ dbt.type_numeric() }}) as metric_value
    from nrr_candidates
    where recency_rank = 1

    union all

    select
        week_start_date,
        'trigger_to_proposal_business_days' as metric_id,
        cast(median_trigger_to_proposal_business_days as {{ dbt.type_numeric() }}) as metric_value
    from proposals_in_window

    union all

    select
        week_start_date,
        'sla_compliance_rate' as metric_id,
        cast(sla_met as {{ dbt.type_numeric() }}) / nullif(sla_applicable, 0) as metric_value
    from slas_in_window

    union all

    select
        week_start_date,
        'expansion_cac' as metric_id,
        cast(expansion_cac as {{ dbt.type_numeric() }}) as metric_value
    from cac_in_quarter

),

weekly_values as (

    select
        weeks.weeks_back,
        weeks.week_start_date,
        weeks.week_end_date,
        weeks.period_end_date,
        weeks.rate_window_start_date,
        weeks.week_end_date > weeks.as_of_date as is_partial_week,
        cast(metric_definitions.metric_id as {{ dbt.type_string() }}) as metric_id,
        cast(metric_values.metric_value as decimal(18, 6)) as metric_value,
        weeks.as_of_date

    from weeks
    cross join metric_definitions
    left join metric_values
        on
            weeks.week_start_date = metric_values.week_start_date
            and metric_definitions.metric_id = metric_values.metric_id

),

previous_values as (

    select
        weekly_values.*,
        lag(weekly_values.metric_value) over (
            partition by weekly_values.metric_id order by weekly_values.week_start_date
        ) as previous_week_value

    from weekly_values

),

final as (

    select
        previous_values.week_start_date,
        previous_values.week_end_date,
        previous_values.period_end_date,
        previous_values.is_partial_week,
        cast(previous_values.metric_id as {{ dbt.type_string() }}) as metric_id,
        cast(metric_definitions.metric_order as int) as metric_order,
        cast(metric_definitions.metric_name as {{ dbt.type_string() }}) as metric_name,
        cast(metric_definitions.unit as {{ dbt.type_string() }}) as unit,
        cast(metric_definitions.metric_window as {{ dbt.type_string() }}) as metric_window,
        metric_definitions.is_higher_better,
        cast(previous_values.metric_value as decimal(18, 6)) as metric_value,
        cast(previous_values.previous_week_value as decimal(18, 6)) as previous_week_value,
        cast(
            previous_values.metric_value - previous_values.previous_week_value as decimal(18, 6)
        ) as wow_change,
        cast(
            (previous_values.metric_value - previous_values.previous_week_value)
            / nullif(abs(previous_values.previous_week_value), 0) as decimal(18, 6)
        ) as wow_change_pct,
        previous_values.as_of_date

    from previous_values
    inner join metric_definitions
        on previous_values.metric_id = metric_definitions.metric_id
    cross join settings
    where previous_values.weeks_back < settings.weekly_metrics_weeks

)

select * from final
