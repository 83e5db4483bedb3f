{#-
    Issue 18: an expansion motion follows a QBR, not replaces it. One template
    per item (its placeholders: macro qbr_agenda_placeholders); which items
    apply is decided here:
      - results: always - health, its band and the share of seats active;
      - signals: when a trigger is active (the scorecard's active_triggers):
        the highest-priority one's registry description, and how many more;
      - capacity: when the account is past a limit's heads-up ratio
        (limit_heads_ups: the highest usage of a limit);
      - cross_sell: its best cross-sell opportunity (whitespace_scores, the
        first-ranked family that is an opportunity);
      - proposal: when it is expansion-eligible with a recommended motion: the
        motion and its estimated ACV;
      - fix_first: when the readiness gate fails: the failed criteria (their
        names in words), and no expansion ask.
-#}

with

items as (

    select * from {{ ref('qbr_agenda_items') }}

),

scorecard as (

    select * from {{ ref('expansion_scorecard') }}

),

facts as (

    select * from {{ ref('int_conversation_account_facts') }}

),

registry as (

    select * from {{ ref('trigger_registry') }}

),

motions as (

    select * from {{ ref('motion_uplift_ranges') }}

),

heads_ups as (

    select * from {{ ref('limit_heads_ups') }}

),

whitespace as (

    select * from {{ ref('whitespace_scores') }}

),

top_heads_up as (

    select
        account_id,
        heads_up_text,
        row_number() over (
            partition by account_id
            order by usage_capacity_ratio desc, capacity_dimension asc
        ) as heads_up_rank
    from heads_ups

),

top_opportunity as (

    select
        account_id,
        product_family,
        whitespace_score,
        row_number() over (
            partition by account_id
            order by family_rank, product_family
        ) as opportunity_rank
    from whitespace
    where is_cross_sell_opportunity

),

account_values as (

    select
        scorecard.account_id,
        scorecard.as_of_date,
        scorecard.is_gate_passed,
        scorecard.is_expansion_eligible,
        scorecard.active_triggers,
        scorecard.recommended_motion,
        {{ format_number('round(scorecard.health_score, 0)') }} as health_score,
        scorecard.health_band,
        {{ format_percent('facts.active_user_seat_ratio') }} as seat_use,
        lower(registry.description) as signal,
        {%- set more_triggers =
            "length(scorecard.active_triggers)"
            ~ " - length(replace(scorecard.active_triggers, ';', ''))" %}
        case
            when {{ more_triggers }} = 0 then ''
            else {{ dbt.concat([
                "' (and '",
                "cast(" ~ more_triggers ~ " as " ~ dbt.type_string() ~ ")",
                "' more)'",
            ]) }}
        end as more_signals,
        top_heads_up.heads_up_text as heads_up,
        top_opportunity.product_family,
        {{ format_number('round(top_opportunity.whitespace_score, 0)') }} as whitespace_score,
        lower(coalesce(motions.motion_name, scorecard.recommended_motion)) as motion,
        {{ format_usd_thousands('scorecard.estimated_expansion_acv') }} as estimated_acv,
        replace(replace(scorecard.failed_criteria, ';', ', '), '_', ' ') as failed_criteria
    from scorecard
    left join facts
        on scorecard.account_id = facts.account_id
    left join motions
        on scorecard.recommended_motion = motions.motion
    left join registry
        on {{ split_part_at('scorecard.active_triggers', "';'", 1) }} = registry.trigger_id
    left join top_heads_up
        on scorecard.account_id = top_heads_up.account_id and top_heads_up.heads_up_rank = 1
    left join top_opportunity
        on
            scorecard.account_id = top_opportunity.account_id
            and top_opportunity.opportunity_rank = 1

),

applicable as (

    select
        account_values.*,
        items.item,
        items.position,
        items.title,
        items.template
    from account_values
    cross join items
    where
        case items.item
            when 'results' then true
            when 'signals' then account_values.active_triggers is not null
            when 'capacity' then account_values.heads_up is not null
            when 'cross_sell' then account_values.product_family is not null
            when 'proposal'
                then
                    account_values.is_expansion_eligible
                    and account_values.recommended_motion is not null
            when 'fix_first' then not account_values.is_gate_passed
            else false
        end

),

final as (

    select
        applicable.account_id,
        applicable.as_of_date,
        cast(applicable.position as integer) as agenda_position,
        cast(applicable.item as {{ dbt.type_string() }}) as item,
        cast(applicable.title as {{ dbt.type_string() }}) as title,
        cast(
            {{ fill_talk_track('applicable.template', 'applicable', qbr_agenda_placeholders()) }}
            as {{ dbt.type_string() }}
        ) as agenda_text
    from applicable

)

select * from final
