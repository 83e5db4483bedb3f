{#-
    compliance_ask: tickets created on the day carrying one of the
    registry's match_terms as a tag (saml, scim, audit_log, dedicated_env;
    matched whole on int_event_tags, whatever the case) reach the threshold. The signal is the number of such tickets that day.
    One row per account, threshold
    (trigger_thresholds) and day with such tickets.
-#}
with

event_tags as (

    select * from {{ ref('int_event_tags') }}

),

thresholds as (

    {{ trigger_thresholds('compliance_ask') }}

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
        cast(daily.compliance_tickets as decimal(18, 4)) as signal_value,
        thresholds.threshold_value
    from daily
    cross join thresholds
    where
        daily.compliance_tickets >= thresholds.threshold_value
        and daily.created_date
        between thresholds.evaluated_from and thresholds.evaluated_through

)

select * from final
