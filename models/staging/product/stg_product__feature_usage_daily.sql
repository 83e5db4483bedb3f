{#-
    At scale ~100 M rows: stays a view (a table would copy raw every night) and
    its key tests look only at the most recent days (see _product__models.yml).
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
