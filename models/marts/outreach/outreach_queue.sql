{#-
    Priority rows match the account's signal-points tier or its
    weighted-readiness band. Activated = gate passed, no risk suppression;
    an account on hold for outreach fatigue alone enters capped, so the list
    says when it can be asked again.

    Cap: the outreaches of int_outreach_events are tagged CRM activities and
    CSQLs created, one per day. An open plan carried in is an expansion
    opportunity still open on the as-of date, created before the quarter
    started and less than a calendar length - the last end_day of
    outreach_calendar_phases - ago. At the cap: is_capped, the reason, and
    capped_until = the first day of the next quarter, which is also its plan
    start. Otherwise the plan starts on the as-of date. outreach_due_date is
    the last day of the opening phase of the calendar.

    Owner: the scorecard's (CSM; CSM + AE for Enterprise or ARR above the
    alert policy's escalation amount). queue_rank: uncapped accounts first,
    then the scorecard's readiness_rank.
-#}
with

scorecard as (

    select * from {{ ref('expansion_scorecard') }}

),

outreach_events as (

    select * from {{ ref('int_outreach_events') }}

),

opportunities as (

    select * from {{ ref('stg_crm__opportunities') }}

),

priority_rules as (

    select * from {{ ref('outreach_priority_rules') }}

),

settings as (

    select * from {{ ref('outreach_queue_settings') }}

),

alert_policy as (

    select * from {{ ref('alert_policy') }}

),

phases as (

    select * from {{ ref('outreach_calendar_phases') }}

),

as_of as (

    select {{ as_of_date() }} as as_of_date

),

quarter_started as (

    select
        as_of_date,
        cast({{ dbt.date_trunc('quarter', 'as_of_date') }} as date) as quarter_start_date

    from as_of

),

-- month arithmetic in its own CTE, apart from the day arithmetic below
-- (PORTABILITY: DuckDB 2.0 confuses +N day and +N month in one select)
quarter_bounds as (

    select
        as_of_date,
        quarter_start_date,
        cast(
            {{ dbt.dateadd('month', 3, 'quarter_start_date') }} as date
        ) as next_quarter_start_date

    from quarter_started

),

first_phase as (

    select min(phase_order) as first_phase_order
    from phases

),

calendar_length as (

    select
        max(phases.end_day) as plan_days,
        min(
            case when phases.phase_order = first_phase.first_phase_order then phases.end_day end
        ) as opening_end_day

    from phases
    cross join first_phase

),

rule_matches as (

    select
        scorecard.account_id,
        priority_rules.rule_id,
        priority_rules.description

    from scorecard
    inner join priority_rules
        on
            (
                priority_rules.score_name = 'signal_tier'
                and scorecard.signal_tier = priority_rules.score_value
            )
            or (
                priority_rules.score_name = 'readiness_band'
                and scorecard.readiness_band = priority_rules.score_value
            )
    where priority_rules.is_enabled

),

priority_accounts as (

    select
        account_id,
        {{ listagg_ordered('description', "'; '", ['rule_id']) }} as priority_reason

    from rule_matches
    group by account_id

),

candidates as (

    select
        scorecard.*,
        priority_accounts.priority_reason,
        scorecard.activation_status = 'activated_on_hold' as is_held_for_fatigue

    from scorecard
    inner join priority_accounts
        on scorecard.account_id = priority_accounts.account_id
    cross join settings
    where
        scorecard.activation_status = 'activated'
        or (
            scorecard.activation_status = 'activated_on_hold'
            and scorecard.suppressions = settings.fatigue_suppression_id
        )

),

outreaches_this_quarter as (

    select
        outreach_events.account_id,
        count(*) as outreaches_qtd

    from outreach_events
    inner join quarter_bounds
        on
            outreach_events.outreach_date >= quarter_bounds.quarter_start_date
            and outreach_events.outreach_date <= quarter_bounds.as_of_date
    group by outreach_events.account_id

),

open_plans_carried_in as (

    select
        opportunities.account_id,
        count(*) as open_plans

    from opportunities
    cross join quarter_bounds
    cross join calendar_length
    cross join settings
    where
        settings.counts_open_plans_from_earlier_quarters
        and cast(opportunities.created_at as date) < quarter_bounds.quarter_start_date
        and {{ dbt.datediff(
            'cast(opportunities.created_at as date)', 'quarter_bounds.as_of_date', 'day'
        ) }} < calendar_length.plan_days
        and (
            opportunities.closed_at is null
            or cast(opportunities.closed_at as date) > quarter_bounds.as_of_date
        )
    group by opportunities.account_id

),

caps_applied as (

    select
        candidates.account_id,
        candidates.account_name,
        candidates.segment,
        candidates.owner,
        candidates.readiness_rank,
        candidates.expansion_readiness,
        candidates.readiness_band,
        candidates.signal_points,
        candidates.signal_tier,
        candidates.candidate_motion,
        candidates.motion_reason,
        candidates.priority_reason,
        candidates.estimated_expansion_acv,
        candidates.current_arr_usd,
        quarter_bounds.as_of_date,
        quarter_bounds.next_quarter_start_date,
        alert_policy.max_outreaches_per_quarter,
        coalesce(outreaches_this_quarter.outreaches_qtd, 0) as outreaches_this_quarter,
        coalesce(open_plans_carried_in.open_plans, 0) as open_plans_carried_in,
        candidates.is_held_for_fatigue
        or coalesce(outreaches_this_quarter.outreaches_qtd, 0)
        + coalesce(open_plans_carried_in.open_plans, 0)
        >= alert_policy.max_outreaches_per_quarter as is_capped

    from candidates
    cross join quarter_bounds
    cross join alert_policy
    left join outreaches_this_quarter
        on candidates.account_id = outreaches_this_quarter.account_id
    left join open_plans_carried_in
        on candidates.account_id = open_plans_carried_in.account_id

),

plans_started as (

    select
        caps_applied.*,
        caps_applied.outreaches_this_quarter
        + caps_applied.open_plans_carried_in as outreaches_counted,
        case when caps_applied.is_capped then caps_applied.next_quarter_start_date end
            as capped_until,
        case
            when caps_applied.is_capped then caps_applied.next_quarter_start_date
            else caps_applied.as_of_date
        end as plan_start_date

    from caps_applied

),

due_dates_set as (

    select
        plans_started.*,
        cast({{ dbt.dateadd(
            'day', 'calendar_length.opening_end_day - 1', 'plans_started.plan_start_date'
        ) }} as date) as outreach_due_date

    from plans_started
    cross join calendar_length

),

reasons_written as (

    select
        due_dates_set.*,
        case
            when due_dates_set.is_capped
                then {{ dbt.concat([
                    "'Capped: '",
                    "cast(due_dates_set.outreaches_counted as " ~ dbt.type_string() ~ ")",
                    "' expansion outreaches this quarter (max '",
                    "cast(due_dates_set.max_outreaches_per_quarter as " ~ dbt.type_string() ~ ")",
                    "'); eligible again on '",
                    "cast(due_dates_set.capped_until as " ~ dbt.type_string() ~ ")",
                    "'. Priority: '",
                    "due_dates_set.priority_reason",
                ]) }}
            else {{ dbt.concat([
                "due_dates_set.priority_reason",
                "'. Motion: '",
                "coalesce(due_dates_set.motion_reason, 'no specific signal')",
                "'. Expansion outreaches this quarter: '",
                "cast(due_dates_set.outreaches_counted as " ~ dbt.type_string() ~ ")",
                "' of '",
                "cast(due_dates_set.max_outreaches_per_quarter as " ~ dbt.type_string() ~ ")",
            ]) }}
        end as reason

    from due_dates_set

),

final as (

    select
        cast(owner as {{ dbt.type_string() }}) as owner,
        cast(row_number() over (
            partition by owner
            order by
                case when is_capped then 1 else 0 end,
                readiness_rank
        ) as int) as queue_rank,
        cast(account_id as {{ dbt.type_string() }}) as account_id,
        cast(account_name as {{ dbt.type_string() }}) as account_name,
        cast(segment as {{ dbt.type_string() }}) as segment,
        cast(readiness_rank as int) as readiness_rank,
        cast(expansion_readiness as int) as readiness,
        cast(readiness_band as {{ dbt.type_string() }}) as readiness_band,
        cast(signal_points as int) as signal_points,
        cast(signal_tier as {{ dbt.type_string() }}) as signal_tier,
        cast(candidate_motion as {{ dbt.type_string() }}) as recommended_motion,
        cast(reason as {{ dbt.type_string() }}) as reason,
        cast(current_arr_usd as decimal(18, 2)) as current_arr_usd,
        cast(estimated_expansion_acv as decimal(18, 2)) as estimated_expansion_acv_usd,
        cast(outreaches_this_quarter as int) as outreaches_this_quarter,
        cast(open_plans_carried_in as int) as open_plans_carried_in,
        cast(max_outreaches_per_quarter as int) as max_outreaches_per_quarter,
        is_capped,
        capped_until,
        plan_start_date,
        outreach_due_date,
        as_of_date

    from reasons_written

)

select * from final
