with

source as (

    select * from {{ source('product', 'users') }}

),

renamed as (

    select
        user_id,
        account_id,
        lower(trim(email_domain)) as email_domain,
        department,
        created_at

    from source

)

select * from renamed
