with

source as (

    select * from {{ source('product', 'features') }}

),

renamed as (

    select
        feature_id,
        feature_name,
        use_case,
        unlocking_product_id,
        is_core,
        unlocking_product_id is not null as is_gated

    from source

)

select * from renamed
