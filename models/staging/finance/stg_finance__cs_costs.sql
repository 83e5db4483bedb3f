with

source as (

    select * from {{ source('finance', 'cs_costs') }}

),

renamed as (

    select
        -- the month as delivered, pinned to its first day for joins on month
        cast({{ dbt.date_trunc('month', 'month') }} as date) as month_start_date,
        segment,
        cost_type,
        amount as amount_usd

    from source

)

select * from renamed
