{#-
    Attribution rules at their edges: an explicit source_trigger_id wins, and
    its firing date is that trigger's latest firing on the account in the
    window (null when it did not fire in the window); otherwise the latest
    firing of any trigger from window days before the CSQL's creation day up
    to that day included (ties: trigger_id) - a firing after the creation
    day, or window + 1 days before it, is never attributed. Segment and
    owners are the account's on the as-of date (the CRM keeps no segment
    history), as in expansion_metrics_quarterly.
-#}
{{ config(materialized='table') }}
{%- set days_before_csql = dbt.datediff(
    'trigger_firings.fired_on', 'opportunities_as_known.created_date', 'day'
) %}

with

opportunities as (

    select * from {{ ref('stg_crm__opportunities') }}

),

accounts as (

    select * from {{ ref('int_accounts_segmented') }}

),

-- the firings at the registry's current threshold (what the mart trigger_firings publishes)
trigger_firings as (

    select * from {{ ref('int_trigger_threshold_firings') }}
    where is_current_threshold

),

settings as (

    select * from {{ ref('pipeline_settings') }}

),

as_of as (

    select {{ as_of_date() }} as as_of_date

),

opportunities_as_known as (

    select
        opportunities.opportunity_id,
        opportunities.account_id,
        opportunities.motion,
        opportunities.product_id,
        opportunities.source_trigger_id,
        opportunities.amount_arr_usd,
        opportunities.created_at,
        cast(opportunities.created_at as date) as created_date,
        case
            when cast(opportunities.qualified_at as date) <= as_of.as_of_date
                then opportunities.qualified_at
        end as qualified_at,
        case
            when cast(opportunities.proposal_at as date) <= as_of.as_of_date
                then opportunities.proposal_at
        end as proposal_at,
        case
            when cast(opportunities.negotiation_at as date) <= as_of.as_of_date
                then opportunities.negotiation_at
        end as negotiation_at,
        case
            when cast(opportunities.closed_at as date) <= as_of.as_of_date
                then opportunities.closed_at
        end as closed_at,
        case
            when cast(opportunities.closed_at as date) > as_of.as_of_date then 'open'
            else opportunities.outcome
        end as outcome,
        case
            when cast(opportunities.closed_at as date) <= as_of.as_of_date
                then opportunities.loss_reason
        end as loss_reason,
        as_of.as_of_date

    from opportunities
    cross join as_of
    where cast(opportunities.created_at as date) <= as_of.as_of_date

),

firing_candidates as (

    select
        opportunities_as_known.opportunity_id,
        trigger_firings.trigger_id,
        trigger_firings.fired_on,
        row_number() over (
            partition by opportunities_as_known.opportunity_id
            order by trigger_firings.fired_on desc, trigger_firings.trigger_id asc
        ) as firing_rank

    from opportunities_as_known
    inner join trigger_firings
        on opportunities_as_known.account_id = trigger_firings.account_id
    cross join settings
    where
        trigger_firings.fired_on <= opportunities_as_known.created_date
        and {{ days_before_csql }} <= settings.attribution_window_days
        and (
            opportunities_as_known.source_trigger_id is null
            or trigger_firings.trigger_id = opportunities_as_known.source_trigger_id
        )

),

attributed as (

    select
        opportunities_as_known.*,
        coalesce(
            opportunities_as_known.source_trigger_id, firing_candidates.trigger_id
        ) as attributed_trigger_id,
        firing_candidates.fired_on as attributed_fired_on,
        case
            when opportunities_as_known.source_trigger_id is not null
                then 'explicit_source_trigger'
            when firing_candidates.trigger_id is not null then 'latest_firing_in_window'
            else 'unattributed'
        end as attribution_rule

    from opportunities_as_known
    left join firing_candidates
        on
            opportunities_as_known.opportunity_id = firing_candidates.opportunity_id
            and firing_candidates.firing_rank = 1

),

final as (

    select
        attributed.opportunity_id,
        attributed.account_id,
        accounts.account_name,
        coalesce(accounts.segment, 'Unknown') as segment,
        coalesce(accounts.csm_owner, 'Unassigned') as csm_owner,
        accounts.ae_owner,
        coalesce(attributed.motion, 'unknown') as motion,
        attributed.product_id,
        attributed.outcome,
        attributed.amount_arr_usd,
        attributed.loss_reason,
        attributed.created_at,
        attributed.created_date,
        attributed.qualified_at,
        attributed.proposal_at,
        attributed.negotiation_at,
        attributed.closed_at,
        attributed.source_trigger_id,
        attributed.attributed_trigger_id,
        attributed.attributed_fired_on,
        attributed.attribution_rule,
        {{ dbt.datediff('attributed.attributed_fired_on', 'attributed.created_date', 'day') }}
            as days_from_firing_to_csql,
        attributed.as_of_date

    from attributed
    left join accounts
        on attributed.account_id = accounts.account_id

)

select * from final
