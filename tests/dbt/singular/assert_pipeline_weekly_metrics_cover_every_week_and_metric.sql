-- weekly_expansion_metrics: exactly weekly_metrics_weeks consecutive ISO
-- weeks (Mondays), the last one containing the as-of date, each with every
-- metric of seeds.weekly_metric_definitions; and wow_change is the
-- difference with the previous week's value.
with

metrics as (

    select * from {{ ref('weekly_expansion_metrics') }}

),

settings as (

    select * from {{ ref('pipeline_settings') }}

),

definitions as (

    select count(*) as metric_count from {{ ref('weekly_metric_definitions') }}

),

shape as (

    select
        count(distinct week_start_date) as weeks,
        count(*) as metric_rows,
        max(week_start_date) as last_week_start_date,
        max(as_of_date) as as_of_date,
        {{ dbt.datediff('min(week_start_date)', 'max(week_start_date)', 'day') }} as span_days  -- noqa: LT05
    from metrics

)

select 'shape' as failure
from shape
cross join settings
cross join definitions
where
    shape.weeks <> settings.weekly_metrics_weeks
    or shape.metric_rows <> settings.weekly_metrics_weeks * definitions.metric_count
    or shape.span_days <> 7 * (settings.weekly_metrics_weeks - 1)
    or shape.as_of_date < shape.last_week_start_date
    or {{ dbt.datediff('shape.last_week_start_date', 'shape.as_of_date', 'day') }} > 6  -- noqa: LT05

union all

select 'wow_change' as failure
from metrics
where
    previous_week_value is not null
    and metric_value is not null
    and abs(wow_change - (metric_value - previous_week_value)) > 0.000001
