{#-
    Every whitespace model downstream carries evaluation_date as a column, so
    both dates come from the same SQL.

    The windows (window_value in window_unit day or month):
      - expressed interest counts signals dated after interest_window_after_date
        and on or before the evaluation date;
      - budget timing looks ahead to budget_window_end_date (inclusive).
    Month and day arithmetic sit in separate CTEs (PORTABILITY.md).
-#}
{%- set interest_back = '-1 * windows.interest_value' %}

with

weights as (

    select * from {{ ref('whitespace_weights') }}

),

settings as (

    select * from {{ ref('whitespace_settings') }}

),

as_of as (

    select {{ as_of_date() }} as as_of_date

),

evaluation_days as (

    select
        as_of.as_of_date,
        as_of.as_of_date as evaluation_date,
        'as_of' as evaluation_role
    from as_of

    union all

    select
        as_of.as_of_date,
        cast(
            {{ dbt.dateadd('day', '-1 * settings.validation_horizon_days', 'as_of.as_of_date') }}
            as date
        ) as evaluation_date,
        'validation' as evaluation_role
    from as_of
    cross join settings

),

windows as (

    select
        max(case when factor = 'expressed_interest' then window_value end) as interest_value,
        max(case when factor = 'expressed_interest' then window_unit end) as interest_unit,
        max(case when factor = 'budget_timing' then window_value end) as budget_value,
        max(case when factor = 'budget_timing' then window_unit end) as budget_unit
    from weights

),

month_bounds as (

    select
        evaluation_days.evaluation_date,
        cast(
            {{ dbt.dateadd('month', interest_back, 'evaluation_days.evaluation_date') }}
            as date
        ) as interest_after_by_months,
        cast(
            {{ dbt.dateadd('month', 'windows.budget_value', 'evaluation_days.evaluation_date') }}
            as date
        ) as budget_end_by_months
    from evaluation_days
    cross join windows

),

day_bounds as (

    select
        evaluation_days.evaluation_date,
        cast(
            {{ dbt.dateadd('day', interest_back, 'evaluation_days.evaluation_date') }}
            as date
        ) as interest_after_by_days,
        cast(
            {{ dbt.dateadd('day', 'windows.budget_value', 'evaluation_days.evaluation_date') }}
            as date
        ) as budget_end_by_days
    from evaluation_days
    cross join windows

),

final as (

    select
        evaluation_days.evaluation_date,
        evaluation_days.evaluation_role,
        evaluation_days.as_of_date,
        case
            when windows.interest_unit = 'month' then month_bounds.interest_after_by_months
            else day_bounds.interest_after_by_days
        end as interest_window_after_date,
        case
            when windows.budget_unit = 'month' then month_bounds.budget_end_by_months
            else day_bounds.budget_end_by_days
        end as budget_window_end_date

    from evaluation_days
    cross join windows
    inner join month_bounds
        on evaluation_days.evaluation_date = month_bounds.evaluation_date
    inner join day_bounds
        on evaluation_days.evaluation_date = day_bounds.evaluation_date

)

select * from final
