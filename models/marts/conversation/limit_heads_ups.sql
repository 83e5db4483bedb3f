{#-
    The capacity is int_readiness_inputs' usage_capacity_ratio and
    capacity_binding_dimension (seats or a plan limit). The account's outreach
    holds do not stop a heads-up: it is service, not an expansion ask.
-#}
with

facts as (

    select * from {{ ref('int_conversation_account_facts') }}

),

settings as (

    select * from {{ ref('conversation_settings') }}

),

registry as (

    select * from {{ ref('trigger_registry') }}

),

ceiling as (

    select threshold_value
    from registry
    where trigger_id = 'usage_ceiling'

),

heads_ups as (

    select
        facts.account_id,
        facts.as_of_date,
        facts.account_name,
        facts.segment,
        facts.csm_owner,
        facts.capacity_binding_dimension,
        facts.usage_capacity_ratio,
        settings.limit_heads_up_ratio,
        ceiling.threshold_value as ceiling_ratio

    from facts
    cross join settings
    cross join ceiling
    where
        facts.usage_capacity_ratio >= settings.limit_heads_up_ratio
        and facts.usage_capacity_ratio < ceiling.threshold_value

),

final as (

    select
        cast(account_id as {{ dbt.type_string() }}) as account_id,
        cast(as_of_date as date) as as_of_date,
        cast(account_name as {{ dbt.type_string() }}) as account_name,
        cast(segment as {{ dbt.type_string() }}) as segment,
        cast(csm_owner as {{ dbt.type_string() }}) as csm_owner,
        cast(capacity_binding_dimension as {{ dbt.type_string() }}) as capacity_dimension,
        cast(usage_capacity_ratio as {{ type_decimal() }}) as usage_capacity_ratio,
        cast(limit_heads_up_ratio as {{ type_decimal() }}) as heads_up_ratio,
        cast(ceiling_ratio as {{ type_decimal() }}) as ceiling_ratio,
        cast(
            {{ dbt.concat([
                "'You are at '", format_percent('usage_capacity_ratio'), "' of your '",
                'capacity_binding_dimension', "' limit; at '", format_percent('ceiling_ratio'),
                "' we will suggest the next plan, so there is no surprise overage.'",
            ]) }} as {{ dbt.type_string() }}
        ) as heads_up_text
    from heads_ups

)

select * from final
