with

accounts as (

    select * from {{ ref('int_accounts_segmented') }}

),

final as (

    select
        cast(account_id as {{ dbt.type_string() }}) as account_id,
        cast(account_name as {{ dbt.type_string() }}) as account_name,
        cast(segment as {{ dbt.type_string() }}) as segment,
        is_segment_derived,
        cast(industry as {{ dbt.type_string() }}) as industry,
        cast(region as {{ dbt.type_string() }}) as region,
        cast(csm_owner as {{ dbt.type_string() }}) as csm_owner,
        cast(ae_owner as {{ dbt.type_string() }}) as ae_owner,
        onboarded_date,
        current_arr_usd,
        current_arr_usd > 0 as is_active,
        as_of_date

    from accounts

)

select * from final
