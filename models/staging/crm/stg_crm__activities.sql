with

source as (

    select * from {{ source('crm', 'crm_activities') }}

),

renamed as (

    select
        activity_id,
        account_id,
        occurred_at,
        activity_type,
        tags,
        notes

    from source

)

select * from renamed
