{#-
    A band holds min_arr_usd <= ARR < max_arr_usd; an empty max is unbounded.
-#}
with

accounts as (

    select * from {{ ref('stg_crm__accounts') }}

),

subscription_lines as (

    select * from {{ ref('int_subscription_lines_usd') }}

),

segment_arr_bands as (

    select * from {{ ref('segment_arr_bands') }}

),

as_of as (

    select {{ as_of_date() }} as as_of_date

),

active_lines as (

    select
        account_id,
        arr_usd

    from subscription_lines
    where is_active_on_as_of_date

),

arr_summed_per_account as (

    select
        account_id,
        count(*) as active_line_count,
        round(sum(arr_usd), 2) as current_arr_usd

    from active_lines
    group by account_id

),

accounts_joined_to_arr as (

    select
        accounts.account_id,
        accounts.account_name,
        accounts.segment as crm_segment,
        accounts.industry,
        accounts.region,
        accounts.csm_owner,
        accounts.ae_owner,
        accounts.onboarded_date,
        as_of.as_of_date,
        coalesce(arr_summed_per_account.active_line_count, 0) as active_line_count,
        cast(
            coalesce(arr_summed_per_account.current_arr_usd, 0) as decimal(18, 2)
        ) as current_arr_usd

    from accounts
    cross join as_of
    left join arr_summed_per_account
        on accounts.account_id = arr_summed_per_account.account_id

),

arr_bands_matched as (

    select
        accounts_joined_to_arr.*,
        segment_arr_bands.segment as arr_band_segment

    from accounts_joined_to_arr
    left join segment_arr_bands
        on
            accounts_joined_to_arr.current_arr_usd >= segment_arr_bands.min_arr_usd
            and (
                segment_arr_bands.max_arr_usd is null
                or accounts_joined_to_arr.current_arr_usd < segment_arr_bands.max_arr_usd
            )

),

segments_derived as (

    select
        account_id,
        account_name,
        coalesce(crm_segment, arr_band_segment) as segment,
        crm_segment is null as is_segment_derived,
        crm_segment,
        arr_band_segment,
        industry,
        region,
        csm_owner,
        ae_owner,
        onboarded_date,
        as_of_date,
        active_line_count,
        current_arr_usd

    from arr_bands_matched

)

select * from segments_derived
