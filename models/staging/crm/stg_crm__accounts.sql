with

source as (

    {{ deduplicate_latest(source('crm', 'accounts'), ['account_id']) }}

),

renamed as (

    select
        account_id,
        account_name,
        industry,
        -- a blank CRM segment stays null here; int_accounts_segmented derives it
        nullif(trim(segment), '') as segment,
        region,
        csm_owner,
        ae_owner,
        onboarded_at as onboarded_date,
        fiscal_year_start_month,
        primary_domain,
        updated_at,
        -- optional in the contract: a file without the column loads null = not opted out
        coalesce(is_expansion_outreach_opted_out, false) as is_expansion_outreach_opted_out

    from source

)

select * from renamed
