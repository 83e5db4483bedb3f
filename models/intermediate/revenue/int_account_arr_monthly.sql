{{ config(materialized='table') }}
{#-
    A blank CRM segment is re-derived at each month end: an account growing
    across a band boundary changes segment there.
-#}
with

account_products as (

    select * from {{ ref('int_account_products_monthly') }}

),

accounts as (

    select * from {{ ref('stg_crm__accounts') }}

),

segment_arr_bands as (

    select * from {{ ref('segment_arr_bands') }}

),

arr_summed_per_account as (

    select
        account_id,
        month_end_date,
        sum(arr_usd) as arr_usd

    from account_products
    group by
        account_id,
        month_end_date

),

accounts_with_arr as (

    select
        account_id,
        month_end_date,
        arr_usd,
        min(month_end_date) over (partition by account_id) as first_arr_month_end_date

    from arr_summed_per_account
    where arr_usd > 0

),

arr_bands_matched as (

    select
        accounts_with_arr.account_id,
        accounts_with_arr.month_end_date,
        accounts_with_arr.arr_usd,
        accounts_with_arr.first_arr_month_end_date,
        accounts.segment as crm_segment,
        segment_arr_bands.segment as arr_band_segment

    from accounts_with_arr
    left join accounts
        on accounts_with_arr.account_id = accounts.account_id
    left join segment_arr_bands
        on
            accounts_with_arr.arr_usd >= segment_arr_bands.min_arr_usd
            and (
                segment_arr_bands.max_arr_usd is null
                or accounts_with_arr.arr_usd < segment_arr_bands.max_arr_usd
            )

),

final as (

    select
        account_id,
        month_end_date,
        arr_usd,
        coalesce(crm_segment, arr_band_segment) as segment,
        crm_segment is null as is_segment_derived,
        first_arr_month_end_date

    from arr_bands_matched

)

select * from final
