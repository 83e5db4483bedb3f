with

source as (

    {{ deduplicate_latest(source('crm', 'opportunities'), ['opportunity_id']) }}

),

renamed as (

    select
        opportunity_id,
        account_id,
        motion,
        product_id,
        source_trigger_id,
        outcome,
        amount_arr as amount_arr_usd,
        loss_reason,
        created_at,
        qualified_at,
        proposal_at,
        negotiation_at,
        closed_at

    from source

)

select * from renamed
