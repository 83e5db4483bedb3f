with

source as (

    select * from {{ source('billing', 'products') }}

),

renamed as (

    select
        product_id,
        product_name,
        product_family,
        tier_rank,
        unit as billing_unit,
        list_price_arr as list_price_arr_usd,
        limit_events_monthly,
        limit_integrations,
        limit_environments,
        limit_storage_gb

    from source

)

select * from renamed
