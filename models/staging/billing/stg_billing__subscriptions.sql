with

source as (

    {{ deduplicate_latest(source('billing', 'subscriptions'), ['line_id']) }}

),

renamed as (

    select
        line_id as subscription_line_id,
        account_id,
        product_id,
        quantity,
        arr as arr_local,
        upper(trim(currency)) as currency_code,
        start_date,
        end_date,
        term_months

    from source

)

select * from renamed
