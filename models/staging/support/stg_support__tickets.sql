with

source as (

    {{ deduplicate_latest(source('support', 'support_tickets'), ['ticket_id']) }}

),

renamed as (

    select
        ticket_id,
        account_id,
        priority,
        tags,
        csat as csat_score,
        created_at,
        resolved_at

    from source

)

select * from renamed
