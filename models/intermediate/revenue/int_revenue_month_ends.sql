{#-
    Month offsets 0-999 come from the portable row generator integers_from_zero.
-#}
with

subscription_lines as (

    select * from {{ ref('stg_billing__subscriptions') }}

),

as_of as (

    select {{ as_of_date() }} as as_of_date

),

month_offsets as (

    select n as month_index
    from ({{ integers_from_zero(1000) }}) as integers

),

first_month as (

    select
        cast({{ dbt.date_trunc('month', 'min(start_date)') }} as date) as first_month_start_date

    from subscription_lines

),

month_starts_listed as (

    select
        month_offsets.month_index,
        cast(
            {{ dbt.dateadd('month', 'month_offsets.month_index', 'first_month_start_date') }}
            as date
        ) as month_start_date

    from month_offsets
    cross join first_month

),

month_starts_capped as (

    select
        month_starts_listed.month_index,
        month_starts_listed.month_start_date,
        as_of.as_of_date

    from month_starts_listed
    cross join as_of
    where month_starts_listed.month_start_date <= as_of.as_of_date

),

calendar_month_ends_added as (

    select
        month_index,
        month_start_date,
        as_of_date,
        cast({{ dbt.last_day('month_start_date', 'month') }} as date) as calendar_month_end_date

    from month_starts_capped

),

previous_month_ends_added as (

    -- a separate CTE from the month arithmetic above (DuckDB 2.0 interval bug)
    select
        *,
        cast({{ dbt.dateadd('day', -1, 'month_start_date') }} as date) as previous_month_end_date

    from calendar_month_ends_added

),

final as (

    select
        month_index,
        month_start_date,
        case
            when calendar_month_end_date > as_of_date then as_of_date
            else calendar_month_end_date
        end as month_end_date,
        previous_month_end_date,
        cast({{ dbt.date_trunc('quarter', 'month_start_date') }} as date) as quarter_start_date,
        calendar_month_end_date > as_of_date as is_partial_month,
        as_of_date

    from previous_month_ends_added

)

select * from final
