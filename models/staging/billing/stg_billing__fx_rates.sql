with

source as (

    select * from {{ source('billing', 'fx_rates') }}

),

renamed as (

    select
        upper(trim(currency)) as currency_code,
        rate_date,
        usd_per_unit

    from source

)

select * from renamed
