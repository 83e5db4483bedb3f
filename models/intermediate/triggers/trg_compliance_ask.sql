{#-
    Tickets created on the day carrying one of the registry's match_terms as
    a tag (matched whole on int_event_tags, whatever the case); the signal is
    the number of such tickets that day.
-#}
with

event_tags as (

    select * from {{ ref('int_event_tags') }}

),

match_terms as (

    {{ trigger_match_terms('compliance_ask') }}

),

compliance_tickets as (

    select distinct
        event_tags.event_id as ticket_id,
        event_tags.account_id,
        event_tags.event_date as created_date
    from event_tags
    inner join match_terms
        on
            match_terms.term <> ''
            and event_tags.tag = match_terms.term
    where event_tags.event_source = 'support_ticket'

),

daily as (

    select
        account_id,
        created_date,
        count(*) as compliance_tickets
    from compliance_tickets
    group by
        account_id,
        created_date

),

final as (

    select
        daily.account_id,
        daily.created_date as evaluated_on,
        daily.compliance_tickets as signal_value
    from daily

)

select * from final
