with

facts as (

    select * from {{ ref('int_conversation_account_facts') }}

),

tickets as (

    select * from {{ ref('stg_support__tickets') }}

),

tickets_ranked as (

    select
        tickets.account_id,
        tickets.ticket_id,
        tickets.created_at,
        tickets.resolved_at,
        tickets.priority,
        tickets.tags,
        tickets.csat_score,
        facts.as_of_date,
        row_number() over (
            partition by tickets.account_id
            order by tickets.created_at desc, tickets.ticket_id desc
        ) as ticket_rank
    from tickets
    inner join facts
        on tickets.account_id = facts.account_id
    where cast(tickets.created_at as date) <= facts.as_of_date

),

final as (

    select
        cast(account_id as {{ dbt.type_string() }}) as account_id,
        cast(ticket_rank as integer) as ticket_rank,
        cast(ticket_id as {{ dbt.type_string() }}) as ticket_id,
        cast(created_at as date) as created_date,
        cast(priority as {{ dbt.type_string() }}) as priority,
        cast(tags as {{ dbt.type_string() }}) as tags,
        (resolved_at is null or cast(resolved_at as date) > as_of_date) as is_open,
        cast(csat_score as integer) as csat_score
    from tickets_ranked
    where ticket_rank <= 3

)

select * from final
