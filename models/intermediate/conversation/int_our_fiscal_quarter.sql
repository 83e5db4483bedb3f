{#-
    The fiscal quarters are the three-month runs from the first day of the start
    month.
-#}
with

settings as (

    select * from {{ ref('conversation_settings') }}

),

as_of as (

    select {{ as_of_date() }} as as_of_date

),

our_fiscal_year as (

    select
        as_of.as_of_date,
        cast(
            {{ dbt.dateadd(
                'month',
                'settings.our_fiscal_year_start_month - 1',
                'cast(' ~ dbt.date_trunc('year', 'as_of.as_of_date') ~ ' as date)',
            ) }} as date
        ) as start_this_calendar_year
    from as_of
    cross join settings

),

our_fiscal_year_started as (

    select
        as_of_date,
        case
            when start_this_calendar_year <= as_of_date then start_this_calendar_year
            else cast({{ dbt.dateadd('month', -12, 'start_this_calendar_year') }} as date)
        end as fiscal_year_start_date
    from our_fiscal_year

),

our_fiscal_quarter as (

    select
        as_of_date,
        cast(
            {{ dbt.dateadd(
                'day',
                -1,
                dbt.dateadd(
                    'month',
                    '3 * (1 + cast(floor(' ~ dbt.datediff('fiscal_year_start_date', 'as_of_date', 'month') ~ ' / 3.0) as integer))',
                    'fiscal_year_start_date',
                ),
            ) }} as date
        ) as quarter_end_date
    from our_fiscal_year_started

),

final as (

    select
        as_of_date,
        quarter_end_date
    from our_fiscal_quarter

)

select * from final
