{#-
    One row per ISO week (Monday start) and weekly expansion metric, for the
    weekly_metrics_weeks (seeds.pipeline_settings, 52) weeks ending with the
    week of the as-of date (partial: its figures run to the as-of date):
    the value (int_weekly_expansion_metric_values), the previous week's
    value and the week-over-week change, absolute and relative to the
    previous value. Metric names, units and windows from
    seeds.weekly_metric_definitions.
-#}
with

metric_values as (

    select * from {{ ref('int_weekly_expansion_metric_values') }}

),

metric_definitions as (

    select * from {{ ref('weekly_metric_definitions') }}

),

settings as (

    select * from {{ ref('pipeline_settings') }}

),

previous_values as (

    select
        metric_values.*,
        lag(metric_values.metric_value) over (
            partition by metric_values.metric_id order by metric_values.week_start_date
        ) as previous_week_value

    from metric_values

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
