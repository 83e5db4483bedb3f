{#-
    Stays a view: a table would copy raw every night.
-#}
with

source as (

    select * from {{ source('product', 'feature_usage_daily') }}

),

renamed as (

    select
        account_id,
        usage_date,
        user_id,
        feature_id,
        events

    from source

)

select * from renamed
