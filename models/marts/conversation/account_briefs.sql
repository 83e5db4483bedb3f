{#-
      - temperature: the best-ranked seeds.account_temperature_rules row the
        account meets (signal points from the scorecard at least
        min_signal_points, the readiness gate passed when required, no
        outreach hold when required): hot, warm or cold, with the reason;
      - buyer map: current contacts by persona, the champion and the exec
        sponsor (the latest current one); a contact who left is a closed row
        with no later row of the same contact;
      - QBR: an expansion motion should follow a QBR, not replace one;
      - pricing scenario: the scorecard's recommended motion and estimated
        expansion ACV against today's ARR.
-#}
with

facts as (

    select * from {{ ref('int_conversation_account_facts') }}

),

scorecard as (

    select * from {{ ref('expansion_scorecard') }}

),

holds as (

    select * from {{ ref('outreach_holds') }}

),

contacts as (

    select * from {{ ref('stg_crm__contacts') }}

),

temperature_rules as (

    select * from {{ ref('account_temperature_rules') }}

),

qbr_cadence as (

    select * from {{ ref('qbr_cadence') }}

),

held_accounts as (

    select distinct account_id
    from holds

),

temperatures_met as (

    select
        facts.account_id,
        temperature_rules.temperature,
        temperature_rules.description as temperature_reason,
        row_number() over (
            partition by facts.account_id
            order by temperature_rules.temperature_rank
        ) as temperature_order

    from facts
    left join scorecard
        on facts.account_id = scorecard.account_id
    left join held_accounts
        on facts.account_id = held_accounts.account_id
    cross join temperature_rules
    where
        coalesce(scorecard.signal_points, 0) >= temperature_rules.min_signal_points
        and (
            not temperature_rules.requires_gate_passed
            or coalesce(scorecard.is_gate_passed, false)
        )
        and (not temperature_rules.requires_no_hold or held_accounts.account_id is null)

),

current_contacts as (

    select contacts.*
    from contacts
    inner join facts
        on contacts.account_id = facts.account_id
    where
        contacts.valid_from <= facts.as_of_date
        and (contacts.valid_to is null or contacts.valid_to > facts.as_of_date)

),

contacts_ranked as (

    select
        account_id,
        full_name,
        is_champion,
        is_exec_sponsor,
        persona,
        row_number() over (
            partition by account_id, is_champion
            order by valid_from desc, contact_id asc
        ) as champion_order,
        row_number() over (
            partition by account_id, is_exec_sponsor
            order by valid_from desc, contact_id asc
        ) as sponsor_order
    from current_contacts

),

buyer_map as (

    select
        account_id,
        sum(case when persona = 'operator' then 1 else 0 end) as operator_contacts,
        sum(case when persona = 'manager' then 1 else 0 end) as manager_contacts,
        sum(case when persona = 'buyer' then 1 else 0 end) as buyer_contacts,
        max(case when is_champion and champion_order = 1 then full_name end) as champion_name,
        max(case when is_exec_sponsor and sponsor_order = 1 then full_name end)
            as exec_sponsor_name
    from contacts_ranked
    group by account_id

),

departures as (

    select
        contacts.account_id,
        contacts.contact_id,
        contacts.full_name,
        contacts.valid_to as left_on
    from contacts
    inner join facts
        on contacts.account_id = facts.account_id
    left join contacts as successors
        on
            contacts.contact_id = successors.contact_id
            and contacts.valid_to <= successors.valid_from
    where
        contacts.valid_to is not null
        and contacts.valid_to <= facts.as_of_date
        and contacts.valid_to > cast({{ dbt.dateadd('day', -90, 'facts.as_of_date') }} as date)
        and successors.contact_id is null

),

departures_listed as (

    select
        account_id,
        {{ dbt.listagg('full_name', "', '", 'order by left_on') }} as recently_left
    from departures
    group by account_id

),

final as (

    select
        cast(facts.account_id as {{ dbt.type_string() }}) as account_id,
        cast(facts.as_of_date as date) as as_of_date,
        cast(temperatures_met.temperature as {{ dbt.type_string() }}) as temperature,
        cast(temperatures_met.temperature_reason as {{ dbt.type_string() }}) as temperature_reason,
        cast(coalesce(buyer_map.operator_contacts, 0) as integer) as operator_contacts,
        cast(coalesce(buyer_map.manager_contacts, 0) as integer) as manager_contacts,
        cast(coalesce(buyer_map.buyer_contacts, 0) as integer) as buyer_contacts,
        cast(buyer_map.champion_name as {{ dbt.type_string() }}) as champion_name,
        cast(buyer_map.exec_sponsor_name as {{ dbt.type_string() }}) as exec_sponsor_name,
        cast(departures_listed.recently_left as {{ dbt.type_string() }}) as recently_left,
        cast(
            {{ dbt.dateadd('day', '0 - facts.days_since_last_qbr', 'facts.as_of_date') }} as date
        ) as last_qbr_date,
        cast(qbr_cadence.qbr_every_days as integer) as qbr_every_days,
        coalesce(facts.days_since_last_qbr <= qbr_cadence.qbr_every_days, false)
            as is_qbr_cadence_met,
        cast(facts.current_arr_usd as decimal(18, 2)) as current_arr_usd,
        cast(scorecard.recommended_motion as {{ dbt.type_string() }}) as recommended_motion,
        cast(scorecard.estimated_expansion_acv as decimal(18, 2)) as estimated_expansion_acv,
        cast(facts.current_arr_usd + scorecard.estimated_expansion_acv as decimal(18, 2))
            as arr_after_expansion_usd,
        cast(
            case
                when facts.current_arr_usd > 0
                    then scorecard.estimated_expansion_acv / facts.current_arr_usd
            end as {{ type_decimal() }}
        ) as expansion_share_of_arr

    from facts
    left join temperatures_met
        on
            facts.account_id = temperatures_met.account_id
            and temperatures_met.temperature_order = 1
    left join buyer_map
        on facts.account_id = buyer_map.account_id
    left join departures_listed
        on facts.account_id = departures_listed.account_id
    left join qbr_cadence
        on facts.segment = qbr_cadence.segment
    left join scorecard
        on facts.account_id = scorecard.account_id

)

select * from final
