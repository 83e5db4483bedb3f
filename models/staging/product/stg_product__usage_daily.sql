{#-
    Stays a view: a table would copy raw every night.
-#}
with

source as (

    select * from {{ source('product', 'usage_daily') }}

),

renamed as (

    select
        account_id,
        usage_date,
        active_users,
        events,
        api_calls,
        storage_gb,
        integrations_connected,
        environments

    from source

)

select * from renamed
