{#-
    An activity matches a rule on its activity_type (empty = any) and its
    tag among the activity's tags in int_event_tags, whatever the case. The
    raw contract has no activity type reserved for expansion outreach (qbr /
    call / meeting / email are all CS touches), hence the default tag. CSQLs
    are the same events the readiness gate's outreach_fatigue suppression
    counts (int_relationship_account_daily.expansion_outreaches_qtd). Several
    outreaches on one day (the call logged and the CSQL created after it)
    count once: the cap is about how often the customer is asked.
-#}
with

event_tags as (

    select * from {{ ref('int_event_tags') }}

),

opportunities as (

    select * from {{ ref('stg_crm__opportunities') }}

),

activity_rules as (

    select * from {{ ref('outreach_activity_rules') }}

),

settings as (

    select * from {{ ref('outreach_queue_settings') }}

),

as_of as (

    select {{ as_of_date() }} as as_of_date

),

activities_matched as (

    select distinct
        event_tags.account_id,
        event_tags.event_date as outreach_date,
        event_tags.event_id as activity_id

    from event_tags
    cross join as_of
    inner join activity_rules
        on
            (
                activity_rules.activity_type is null
                or event_tags.activity_type = activity_rules.activity_type
            )
            and event_tags.tag = lower(trim(activity_rules.tag))
    where
        activity_rules.is_enabled
        and event_tags.event_source = 'crm_activity'
        and event_tags.event_date <= as_of.as_of_date

),

csqls_created as (

    select
        opportunities.account_id,
        cast(opportunities.created_at as date) as outreach_date,
        opportunities.opportunity_id

    from opportunities
    cross join as_of
    cross join settings
    where
        settings.counts_csqls_as_outreach
        and cast(opportunities.created_at as date) <= as_of.as_of_date

),

outreaches as (

    select
        account_id,
        outreach_date,
        1 as activity_outreaches,
        0 as csql_outreaches
    from activities_matched

    union all

    select
        account_id,
        outreach_date,
        0 as activity_outreaches,
        1 as csql_outreaches
    from csqls_created

),

final as (

    select
        account_id,
        outreach_date,
        cast(
            {{ dbt.date_trunc('quarter', 'outreach_date') }} as date
        ) as quarter_start_date,
        cast(sum(activity_outreaches) as int) as activity_outreaches,
        cast(sum(csql_outreaches) as int) as csql_outreaches

    from outreaches
    group by
        account_id,
        outreach_date

)

select * from final
