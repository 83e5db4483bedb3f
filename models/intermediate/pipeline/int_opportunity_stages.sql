{#-
    trigger_fired is entered at the start of the attributed firing day. The
    SLA clock of a stage starts when its previous_stage (in the seed) was
    entered; a stage whose previous stage was never reached (a CSQL with no
    attributed firing, a deal lost before negotiation) has no clock and no
    SLA verdict. hour SLAs compare elapsed hours, business_day SLAs business
    days (weekdays after the start day up to the end day included, no
    holidays); met when the elapsed time is at most sla_value. exited_at is
    when the next stage reached was entered (null for the current or last
    stage).
-#}
{{ config(materialized='table') }}

with

opportunities as (

    select * from {{ ref('int_opportunities_attributed') }}

),

stage_slas as (

    select * from {{ ref('csql_stage_slas') }}

),

stage_entries as (

    select
        opportunity_id,
        'trigger_fired' as stage,
        cast(attributed_fired_on as {{ dbt.type_timestamp() }}) as entered_at
    from opportunities
    where attributed_fired_on is not null

    union all

    select
        opportunity_id,
        'csql_created' as stage,
        created_at as entered_at
    from opportunities

    union all

    select
        opportunity_id,
        'qualified' as stage,
        qualified_at as entered_at
    from opportunities
    where qualified_at is not null

    union all

    select
        opportunity_id,
        'proposal_sent' as stage,
        proposal_at as entered_at
    from opportunities
    where proposal_at is not null

    union all

    select
        opportunity_id,
        'negotiation' as stage,
        negotiation_at as entered_at
    from opportunities
    where negotiation_at is not null

    union all

    select
        opportunity_id,
        'closed' as stage,
        closed_at as entered_at
    from opportunities
    where closed_at is not null and outcome in ('won', 'lost')

),

stages_ordered as (

    select
        stage_entries.opportunity_id,
        stage_entries.stage,
        stage_slas.stage_order,
        stage_slas.previous_stage,
        stage_slas.sla_value,
        stage_slas.sla_unit,
        stage_entries.entered_at,
        lead(stage_entries.entered_at) over (
            partition by stage_entries.opportunity_id order by stage_slas.stage_order
        ) as exited_at

    from stage_entries
    inner join stage_slas
        on stage_entries.stage = stage_slas.stage

),

clocks_started as (

    select
        stages_ordered.*,
        previous_entries.entered_at as clock_started_at

    from stages_ordered
    left join stages_ordered as previous_entries
        on
            stages_ordered.opportunity_id = previous_entries.opportunity_id
            and stages_ordered.previous_stage = previous_entries.stage

),

durations as (

    select
        clocks_started.*,
        {{ dbt.datediff('clocks_started.clock_started_at', 'clocks_started.entered_at', 'hour') }}
            as hours_from_previous_stage,
        {{ business_days_between('clocks_started.clock_started_at', 'clocks_started.entered_at') }}
            as business_days_from_previous_stage,
        {{ business_days_between('clocks_started.entered_at', 'clocks_started.exited_at') }}
            as business_days_in_stage

    from clocks_started

),

final as (

    select
        durations.opportunity_id,
        opportunities.account_id,
        opportunities.segment,
        opportunities.csm_owner,
        opportunities.motion,
        opportunities.outcome,
        cast(durations.stage as {{ dbt.type_string() }}) as stage,
        durations.stage_order,
        durations.previous_stage,
        durations.entered_at,
        cast(durations.entered_at as date) as entered_date,
        durations.exited_at,
        durations.clock_started_at,
        durations.sla_value,
        durations.sla_unit,
        durations.hours_from_previous_stage,
        durations.business_days_from_previous_stage,
        durations.business_days_in_stage,
        case
            when durations.sla_value is null or durations.clock_started_at is null then null
            when durations.sla_unit = 'hour'
                then durations.hours_from_previous_stage <= durations.sla_value
            when durations.sla_unit = 'business_day'
                then durations.business_days_from_previous_stage <= durations.sla_value
        end as is_sla_met

    from durations
    inner join opportunities
        on durations.opportunity_id = opportunities.opportunity_id

)

select * from final
