with

opportunities as (

    select * from {{ ref('int_opportunities_attributed') }}

),

final as (

    select
        cast(opportunity_id as {{ dbt.type_string() }}) as opportunity_id,
        cast(account_id as {{ dbt.type_string() }}) as account_id,
        cast(account_name as {{ dbt.type_string() }}) as account_name,
        cast(segment as {{ dbt.type_string() }}) as segment,
        cast(csm_owner as {{ dbt.type_string() }}) as csm_owner,
        cast(motion as {{ dbt.type_string() }}) as motion,
        cast(outcome as {{ dbt.type_string() }}) as outcome,
        cast(amount_arr_usd as decimal(18, 2)) as amount_arr_usd,
        created_date,
        cast(source_trigger_id as {{ dbt.type_string() }}) as source_trigger_id,
        cast(attributed_trigger_id as {{ dbt.type_string() }}) as attributed_trigger_id,
        attributed_fired_on,
        cast(attribution_rule as {{ dbt.type_string() }}) as attribution_rule,
        cast(days_from_firing_to_csql as int) as days_from_firing_to_csql,
        cast(
            {{ business_days_between('attributed_fired_on', 'proposal_at') }} as int
        ) as trigger_to_proposal_business_days,
        as_of_date

    from opportunities

)

select * from final
