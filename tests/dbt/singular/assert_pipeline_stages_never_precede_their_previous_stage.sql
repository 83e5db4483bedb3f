-- int_opportunity_stages: a stage is never reached before the stage its SLA
-- clock starts from (a firing after its CSQL, a proposal before the
-- qualification...), and the SLA verdict agrees with the elapsed time in
-- the seed's unit. A row here is a CRM timestamp out of order or a broken
-- SLA computation.
select
    opportunity_id,
    stage,
    clock_started_at,
    entered_at,
    sla_value,
    sla_unit,
    hours_from_previous_stage,
    business_days_from_previous_stage,
    is_sla_met

from {{ ref('int_opportunity_stages') }}
where
    entered_at < clock_started_at
    or business_days_from_previous_stage < 0
    or (
        sla_unit = 'hour' and is_sla_met is not null
        and is_sla_met <> (hours_from_previous_stage <= sla_value)
    )
    or (
        sla_unit = 'business_day' and is_sla_met is not null
        and is_sla_met <> (business_days_from_previous_stage <= sla_value)
    )
