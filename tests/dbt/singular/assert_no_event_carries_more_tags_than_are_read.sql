-- A support ticket or CRM activity with more ';'-separated parts than
-- int_event_tags reads (max_tags_per_event()): its last tags would be lost.
with

tagged_events as (

    select 'support_ticket' as event_source, ticket_id as event_id, tags
    from {{ ref('stg_support__tickets') }}
    where tags is not null

    union all

    select 'crm_activity' as event_source, activity_id as event_id, tags
    from {{ ref('stg_crm__activities') }}
    where tags is not null

)

select
    event_source,
    event_id,
    length(tags) - length(replace(tags, ';', '')) + 1 as tag_parts
from tagged_events
where length(tags) - length(replace(tags, ';', '')) + 1 > {{ max_tags_per_event() }}
