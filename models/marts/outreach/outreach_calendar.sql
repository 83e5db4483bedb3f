{#-
    The plan start is outreach_queue.plan_start_date (the as-of date for a
    queued account).
-#}
with

queue as (

    select * from {{ ref('outreach_queue') }}

),

phases as (

    select * from {{ ref('outreach_calendar_phases') }}

),

queued_accounts as (

    select *
    from queue
    where not is_capped

),

phase_dates as (

    select
        queued_accounts.owner,
        queued_accounts.queue_rank,
        queued_accounts.account_id,
        queued_accounts.account_name,
        queued_accounts.segment,
        queued_accounts.recommended_motion,
        queued_accounts.plan_start_date,
        queued_accounts.as_of_date,
        phases.phase,
        phases.phase_order,
        phases.start_day,
        phases.end_day,
        phases.action,
        cast(
            {{ dbt.dateadd('day', 'phases.start_day - 1', 'queued_accounts.plan_start_date') }}
            as date
        ) as phase_start_date,
        cast(
            {{ dbt.dateadd('day', 'phases.end_day - 1', 'queued_accounts.plan_start_date') }}
            as date
        ) as phase_end_date

    from queued_accounts
    cross join phases

),

final as (

    select
        cast(owner as {{ dbt.type_string() }}) as owner,
        cast(queue_rank as int) as queue_rank,
        cast(account_id as {{ dbt.type_string() }}) as account_id,
        cast(account_name as {{ dbt.type_string() }}) as account_name,
        cast(segment as {{ dbt.type_string() }}) as segment,
        cast(recommended_motion as {{ dbt.type_string() }}) as recommended_motion,
        cast(phase_order as int) as phase_order,
        cast(phase as {{ dbt.type_string() }}) as phase,
        cast(action as {{ dbt.type_string() }}) as action,
        cast(start_day as int) as start_day,
        cast(end_day as int) as end_day,
        phase_start_date,
        phase_end_date,
        plan_start_date,
        as_of_date >= phase_start_date and as_of_date <= phase_end_date as is_current_phase,
        as_of_date

    from phase_dates

)

select * from final
