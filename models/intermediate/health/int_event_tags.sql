{#-
    Up to max_tags_per_event() tags per event (a singular test fails on an
    event with more). A table: six models read it, and the split runs once a
    night.
-#}
{{ config(materialized='table') }}

with

tickets as (

    select * from {{ ref('stg_support__tickets') }}

),

activities as (

    select * from {{ ref('stg_crm__activities') }}

),

tagged_events as (

    select
        'support_ticket' as event_source,
        ticket_id as event_id,
        account_id,
        cast(created_at as date) as event_date,
        cast(null as {{ dbt.type_string() }}) as activity_type,
        tags
    from tickets
    where tags is not null

    union all

    select
        'crm_activity' as event_source,
        activity_id as event_id,
        account_id,
        cast(occurred_at as date) as event_date,
        activity_type,
        tags
    from activities
    where tags is not null

),

part_numbers as (

    select n + 1 as part_number
    from ({{ integers_from_zero(max_tags_per_event()) }}) as integers

),

parts as (

    select
        tagged_events.event_source,
        tagged_events.event_id,
        tagged_events.account_id,
        tagged_events.event_date,
        tagged_events.activity_type,
        lower(trim(
            {{ split_part_at('tagged_events.tags', "';'", 'part_numbers.part_number') }}
        )) as tag

    from tagged_events
    inner join part_numbers
        on
            part_numbers.part_number
            <= length(tagged_events.tags) - length(replace(tagged_events.tags, ';', '')) + 1

),

final as (

    select distinct
        cast(event_source as {{ dbt.type_string() }}) as event_source,
        event_id,
        account_id,
        event_date,
        activity_type,
        cast(tag as {{ dbt.type_string() }}) as tag

    from parts
    where tag <> ''

)

select * from final
