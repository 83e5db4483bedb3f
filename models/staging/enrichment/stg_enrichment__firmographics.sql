with

source as (

    select * from {{ source('enrichment', 'firmographics') }}

),

renamed as (

    select
        account_id,
        -- renamed: "as_of_date" is the warehouse's run date everywhere else
        as_of_date as snapshot_date,
        employee_count,
        open_roles,
        last_funding_date

    from source

)

select * from renamed
