{#-
    The CS leader's Monday list. Every number traces back to a model:
    health and gate from account_health_daily / readiness_gate_daily (the
    as-of day), both scores and their breakdowns from
    account_readiness_scores, active triggers from trigger_firings (the
    trigger library's seam) - those of a quarantined trigger left out: its
    alerts are held, and so is the motion it would recommend.

    Ranking (readiness_rank): weighted readiness, descending (SPEC 11), then
    signal points, ARR. The signal-points tier is a column, not a sort key:
    an account with high readiness ranks near the top whatever its tier. The
    gate does not reorder the list - it decides what the list may recommend: no expansion
    motion is ever recommended to an account that is not eligible (gate
    failed or a risk suppression); its recommended_motion says what to fix
    first ("not ready: fix health score first") or why it is on hold, and
    the motion it would get is kept as candidate_motion. (Measured on the
    demo company: ranking eligible accounts first pushes planted-intent
    accounts down the top of the list, because intent does not wait for
    activation; the list shows both, and only eligible rows get a motion.)

    Motion: the highest-priority active trigger's motion, else the first
    seeds.motion_recommendation_rules rule whose signal the account earned.
    Estimated expansion ACV for that motion - every motion gets one or says
    why not: the account's own won expansions of the motion (average), else
    its segment's median uplift (won amount / ARR, with at least
    min_segment_deals deals) x ARR, else the midpoint of
    seeds.motion_uplift_ranges x ARR, else the price book
    (stg_billing__products' list_price_arr_usd): for a tier upgrade the account's
    core ARR x (next core tier's list price / its current tier's - 1), for
    professional services the list price of the cheapest service it does not
    own. acv_estimate_basis says which; without an estimate it says why
    ("no_estimate: already on the top core tier").
-#}
with

inputs as (

    select * from {{ ref('int_readiness_inputs') }}
    where evaluation_role = 'as_of'

),

health as (

    select * from {{ ref('account_health_daily') }}

),

gate as (

    select * from {{ ref('readiness_gate_daily') }}

),

scores as (

    select * from {{ ref('account_readiness_scores') }}

),

signal_items as (

    select * from {{ ref('int_signal_points_itemised') }}
    where evaluation_role = 'as_of'

),

trigger_firings as (

    select * from {{ ref('trigger_firings') }}
    where not is_quarantined

),

subscription_lines as (

    select * from {{ ref('int_subscription_lines_usd') }}

),

products as (

    select * from {{ ref('stg_billing__products') }}

),

trigger_registry as (

    select * from {{ ref('trigger_registry') }}

),

opportunities as (

    select * from {{ ref('stg_crm__opportunities') }}

),

motion_rules as (

    select * from {{ ref('motion_recommendation_rules') }}

),

uplift_ranges as (

    select * from {{ ref('motion_uplift_ranges') }}

),

tiers as (

    select * from {{ ref('signal_point_tiers') }}

),

playbooks as (

    select * from {{ ref('segment_playbooks') }}

),

alert_policy as (

    select * from {{ ref('alert_policy') }}

),

settings as (

    select * from {{ ref('scorecard_settings') }}

),

-- firings still inside their trigger's cooldown on the as-of date
active_firings as (

    select
        trigger_firings.account_id,
        trigger_firings.trigger_id,
        trigger_firings.fired_on,
        trigger_registry.motion,
        row_number() over (
            partition by trigger_firings.account_id
            order by
                case
                    when trigger_registry.priority = settings.active_trigger_priority_high_label
                        then 0
                    else 1
                end asc,
                trigger_firings.fired_on desc,
                trigger_firings.trigger_id asc
        ) as trigger_rank

    from trigger_firings
    inner join trigger_registry
        on trigger_firings.trigger_id = trigger_registry.trigger_id
    inner join inputs
        on trigger_firings.account_id = inputs.account_id
    cross join settings
    where
        trigger_firings.fired_on <= inputs.as_of_date
        and {{ dbt.datediff('trigger_firings.fired_on', 'inputs.as_of_date', 'day') }}
        < trigger_registry.cooldown_days

),

active_trigger_lists as (

    select
        account_id,
        {{ listagg_ordered('trigger_id', "';'", ['trigger_rank']) }} as active_triggers

    from active_firings
    group by account_id

),

rule_matches as (

    select
        inputs.account_id,
        motion_rules.motion,
        motion_rules.reason,
        row_number() over (
            partition by inputs.account_id order by motion_rules.rule_order
        ) as rule_rank

    from inputs
    cross join motion_rules
    left join signal_items
        on
            inputs.account_id = signal_items.account_id
            and motion_rules.signal_id = signal_items.signal_id
    where
        motion_rules.signal_id is null
        or (
            signal_items.is_earned
            and (
                motion_rules.capacity_dimension is null
                or motion_rules.capacity_dimension = inputs.capacity_binding_dimension
            )
        )

),

motions_chosen as (

    select
        inputs.account_id,
        coalesce(active_firings.motion, rule_matches.motion) as candidate_motion,
        case
            when active_firings.trigger_id is not null
                then {{ dbt.concat([
                    "'Trigger '", "active_firings.trigger_id", "' fired on '",
                    "cast(active_firings.fired_on as " ~ dbt.type_string() ~ ")",
                ]) }}
            else rule_matches.reason
        end as motion_reason

    from inputs
    left join active_firings
        on inputs.account_id = active_firings.account_id and active_firings.trigger_rank = 1
    left join rule_matches
        on inputs.account_id = rule_matches.account_id and rule_matches.rule_rank = 1

),

won_expansions as (

    select
        opportunities.account_id,
        opportunities.motion,
        opportunities.amount_arr_usd,
        inputs.segment,
        inputs.current_arr_usd

    from opportunities
    inner join inputs
        on opportunities.account_id = inputs.account_id
    cross join settings
    where
        opportunities.outcome = 'won'
        and cast(opportunities.closed_at as date) <= inputs.as_of_date
        and {{ dbt.datediff('cast(opportunities.closed_at as date)', 'inputs.as_of_date', 'day') }}
        < settings.expansion_history_days

),

account_history as (

    select
        account_id,
        motion,
        avg(amount_arr_usd) as average_won_arr_usd

    from won_expansions
    group by account_id, motion

),

segment_history as (

    select
        won_expansions.segment,
        won_expansions.motion,
        count(*) as won_deals,
        percentile_cont(0.5) within group (
            order by won_expansions.amount_arr_usd / nullif(won_expansions.current_arr_usd, 0)
        ) as median_uplift_ratio

    from won_expansions
    group by won_expansions.segment, won_expansions.motion

),

-- the price book: a tier upgrade to the next core tier, the cheapest service not owned
core_lines as (

    select
        subscription_lines.account_id,
        sum(subscription_lines.arr_usd) as core_arr_usd,
        max(products.tier_rank) as core_tier_rank

    from subscription_lines
    inner join products
        on subscription_lines.product_id = products.product_id
    where subscription_lines.is_active_on_as_of_date and products.product_family = 'core'
    group by subscription_lines.account_id

),

core_tier_prices as (

    select
        tier_rank,
        min(list_price_arr_usd) as list_price_arr_usd
    from products
    where product_family = 'core'
    group by tier_rank

),

next_core_tiers as (

    select
        core_lines.account_id,
        core_lines.core_arr_usd,
        current_tier.list_price_arr_usd as current_list_price_arr_usd,
        min(higher_tier.tier_rank) as next_tier_rank

    from core_lines
    inner join core_tier_prices as current_tier
        on core_lines.core_tier_rank = current_tier.tier_rank
    left join core_tier_prices as higher_tier
        on core_lines.core_tier_rank < higher_tier.tier_rank
    group by
        core_lines.account_id,
        core_lines.core_arr_usd,
        current_tier.list_price_arr_usd

),

tier_upgrade_prices as (

    select
        next_core_tiers.account_id,
        next_core_tiers.next_tier_rank,
        next_core_tiers.core_arr_usd
        * (next_tier.list_price_arr_usd / nullif(next_core_tiers.current_list_price_arr_usd, 0) - 1)
            as tier_upgrade_acv_usd

    from next_core_tiers
    left join core_tier_prices as next_tier
        on next_core_tiers.next_tier_rank = next_tier.tier_rank

),

owned_services as (

    select distinct
        subscription_lines.account_id,
        subscription_lines.product_id

    from subscription_lines
    inner join products
        on subscription_lines.product_id = products.product_id
    where subscription_lines.is_active_on_as_of_date and products.product_family = 'service'

),

service_prices as (

    select
        inputs.account_id,
        min(products.list_price_arr_usd) as cheapest_service_acv_usd

    from inputs
    cross join products
    left join owned_services
        on
            inputs.account_id = owned_services.account_id
            and products.product_id = owned_services.product_id
    where products.product_family = 'service' and owned_services.product_id is null
    group by inputs.account_id

),

estimates as (

    select
        motions_chosen.account_id,
        motions_chosen.candidate_motion,
        motions_chosen.motion_reason,
        case
            when account_history.average_won_arr_usd is not null
                then account_history.average_won_arr_usd
            when segment_history.won_deals >= settings.min_segment_deals
                then inputs.current_arr_usd * segment_history.median_uplift_ratio
            when uplift_ranges.uplift_min is not null
                then
                    inputs.current_arr_usd * (uplift_ranges.uplift_min + uplift_ranges.uplift_max)
                    / 2
            when motions_chosen.candidate_motion = 'tier_upgrade'
                then tier_upgrade_prices.tier_upgrade_acv_usd
            when motions_chosen.candidate_motion = 'professional_services'
                then service_prices.cheapest_service_acv_usd
        end as estimated_expansion_acv,
        case
            when account_history.average_won_arr_usd is not null then 'account_history'
            when segment_history.won_deals >= settings.min_segment_deals then 'segment_history'
            when uplift_ranges.uplift_min is not null then 'typical_uplift_range'
            when motions_chosen.candidate_motion = 'tier_upgrade'
                then
                    case
                        when tier_upgrade_prices.tier_upgrade_acv_usd is not null
                            then 'price_book_next_tier'
                        when tier_upgrade_prices.account_id is null
                            then 'no_estimate: no core subscription to upgrade'
                        else 'no_estimate: already on the top core tier'
                    end
            when motions_chosen.candidate_motion = 'professional_services'
                then
                    case
                        when service_prices.cheapest_service_acv_usd is not null
                            then 'price_book_service'
                        else 'no_estimate: already owns every service'
                    end
            else 'no_estimate: no history, uplift range or price for the motion'
        end as acv_estimate_basis

    from motions_chosen
    inner join inputs
        on motions_chosen.account_id = inputs.account_id
    cross join settings
    left join account_history
        on
            motions_chosen.account_id = account_history.account_id
            and motions_chosen.candidate_motion = account_history.motion
    left join segment_history
        on
            inputs.segment = segment_history.segment
            and motions_chosen.candidate_motion = segment_history.motion
    left join uplift_ranges
        on motions_chosen.candidate_motion = uplift_ranges.motion
    left join tier_upgrade_prices
        on motions_chosen.account_id = tier_upgrade_prices.account_id
    left join service_prices
        on motions_chosen.account_id = service_prices.account_id

),

assembled as (

    select
        inputs.account_id,
        inputs.account_name,
        inputs.as_of_date,
        inputs.segment,
        inputs.current_arr_usd,
        health.health_score,
        health.health_band,
        coalesce(gate.is_gate_passed, false) as is_gate_passed,
        coalesce(gate.is_suppressed, false) as is_suppressed,
        coalesce(gate.is_expansion_eligible, false) as is_expansion_eligible,
        case
            when gate.account_id is null then 'no_usage_data'
            else gate.failed_criteria
        end as failed_criteria,
        gate.suppressions,
        case
            when gate.account_id is null or not gate.is_gate_passed then 'not_activated'
            when gate.is_suppressed then 'activated_on_hold'
            else 'activated'
        end as activation_status,
        scores.weighted_readiness_score as expansion_readiness,
        scores.readiness_band,
        scores.signal_points,
        scores.signal_tier,
        scores.signal_tier_rank,
        scores.signal_points_breakdown,
        scores.weighted_readiness_breakdown,
        active_trigger_lists.active_triggers,
        estimates.candidate_motion,
        estimates.motion_reason,
        estimates.estimated_expansion_acv,
        estimates.acv_estimate_basis,
        tiers.next_step,
        tiers.next_action_days,
        inputs.csm_owner,
        inputs.ae_owner,
        playbooks.owner as owner_team,
        {{ expansion_owner(
            "'csm_with_ae_escalation'",
            'inputs.csm_owner',
            'inputs.ae_owner',
            '(inputs.segment = alert_policy.ae_escalation_segment'
            ~ ' or inputs.current_arr_usd > alert_policy.ae_escalation_min_arr_usd)',
        ) }} as owner,
        settings.not_ready_next_action_days,
        settings.suppressed_next_action_days

    from inputs
    cross join alert_policy
    cross join settings
    left join health
        on inputs.account_id = health.account_id and inputs.as_of_date = health.score_date
    left join gate
        on inputs.account_id = gate.account_id and inputs.as_of_date = gate.as_of_date
    left join scores
        on inputs.account_id = scores.account_id
    left join active_trigger_lists
        on inputs.account_id = active_trigger_lists.account_id
    left join estimates
        on inputs.account_id = estimates.account_id
    left join tiers
        on scores.signal_tier = tiers.signal_tier
    left join playbooks
        on inputs.segment = playbooks.segment

),

actions_decided as (

    select
        assembled.*,
        case
            when assembled.activation_status = 'activated' then assembled.candidate_motion
            when assembled.activation_status = 'activated_on_hold'
                then {{ dbt.concat(["'on hold: '", "replace(assembled.suppressions, ';', ', ')"]) }}
            else {{ dbt.concat([
                "'not ready: fix '",
                "replace(replace(assembled.failed_criteria, '_', ' '), ';', ', ')",
                "' first'",
            ]) }}
        end as recommended_motion,
        case
            when assembled.activation_status = 'activated'
                then {{ dbt.concat([
                    "assembled.next_step", "': '", "replace(assembled.candidate_motion, '_', ' ')",
                ]) }}
            when assembled.activation_status = 'activated_on_hold'
                then {{ dbt.concat([
                    "'Hold expansion; review '", "replace(assembled.suppressions, ';', ', ')",
                ]) }}
            else {{ dbt.concat([
                "'Fix before any expansion talk: '",
                "replace(replace(assembled.failed_criteria, '_', ' '), ';', ', ')",
            ]) }}
        end as next_action,
        case
            when assembled.activation_status = 'activated' then assembled.next_action_days
            when assembled.activation_status = 'activated_on_hold'
                then assembled.suppressed_next_action_days
            else assembled.not_ready_next_action_days
        end as next_action_in_days

    from assembled

),

final as (

    select
        cast(row_number() over (
            order by
                expansion_readiness desc nulls last,
                signal_points desc nulls last,
                current_arr_usd desc,
                account_id asc
        ) as int) as readiness_rank,
        cast(account_id as {{ dbt.type_string() }}) as account_id,
        cast(account_name as {{ dbt.type_string() }}) as account_name,
        cast(segment as {{ dbt.type_string() }}) as segment,
        cast(current_arr_usd as decimal(18, 2)) as current_arr_usd,
        health_score,
        cast(health_band as {{ dbt.type_string() }}) as health_band,
        cast(activation_status as {{ dbt.type_string() }}) as activation_status,
        is_gate_passed,
        is_expansion_eligible,
        cast(failed_criteria as {{ dbt.type_string() }}) as failed_criteria,
        cast(suppressions as {{ dbt.type_string() }}) as suppressions,
        cast(expansion_readiness as int) as expansion_readiness,
        cast(readiness_band as {{ dbt.type_string() }}) as readiness_band,
        cast(signal_points as int) as signal_points,
        cast(signal_tier as {{ dbt.type_string() }}) as signal_tier,
        cast(active_triggers as {{ dbt.type_string() }}) as active_triggers,
        cast(recommended_motion as {{ dbt.type_string() }}) as recommended_motion,
        cast(candidate_motion as {{ dbt.type_string() }}) as candidate_motion,
        cast(motion_reason as {{ dbt.type_string() }}) as motion_reason,
        cast(estimated_expansion_acv as decimal(18, 2)) as estimated_expansion_acv,
        cast(acv_estimate_basis as {{ dbt.type_string() }}) as acv_estimate_basis,
        cast(owner as {{ dbt.type_string() }}) as owner,
        cast(owner_team as {{ dbt.type_string() }}) as owner_team,
        cast(csm_owner as {{ dbt.type_string() }}) as csm_owner,
        cast(ae_owner as {{ dbt.type_string() }}) as ae_owner,
        cast(next_action as {{ dbt.type_string() }}) as next_action,
        cast(
            {{ dbt.dateadd('day', 'next_action_in_days', 'as_of_date') }} as date
        ) as next_action_date,
        cast(signal_points_breakdown as {{ dbt.type_string() }}) as signal_points_breakdown,
        cast(
            weighted_readiness_breakdown as {{ dbt.type_string() }}
        ) as weighted_readiness_breakdown,
        as_of_date

    from actions_decided

)

select * from final
