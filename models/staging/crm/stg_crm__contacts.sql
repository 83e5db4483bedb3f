with

source as (

    {{ deduplicate_latest(source('crm', 'contacts'), ['contact_id', 'valid_from']) }}

),

renamed as (

    select
        contact_id,
        valid_from,
        valid_to,
        account_id,
        full_name,
        email,
        title,
        persona,
        is_champion,
        is_exec_sponsor

    from source

)

select * from renamed
