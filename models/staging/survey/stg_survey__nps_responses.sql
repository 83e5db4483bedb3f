with

source as (

    select * from {{ source('survey', 'nps_responses') }}

),

renamed as (

    select
        response_id as nps_response_id,
        account_id,
        contact_id,
        score as nps_score,
        responded_at

    from source

)

select * from renamed
