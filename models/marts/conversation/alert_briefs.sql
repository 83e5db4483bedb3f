{#-
    Primary contact (int_conversation_account_facts): the champion, else the
    exec sponsor, else the default persona. fill_talk_track fills in the
    contact's first name, seat use, usage trend, health, renewal date, the
    firing's signal and threshold in the registry's unit, its window, the
    scorecard's recommended motion and estimated expansion ACV, the owner and
    the first-outreach due date. is_held: the first hold by hold_order and
    every reason.
-#}
with

candidates as (

    select * from {{ ref('alert_candidates') }}

),

facts as (

    select * from {{ ref('int_conversation_account_facts') }}

),

scorecard as (

    select * from {{ ref('expansion_scorecard') }}

),

registry as (

    select * from {{ ref('trigger_registry') }}

),

talk_tracks as (

    select * from {{ ref('talk_tracks') }}

),

motions as (

    select * from {{ ref('motion_uplift_ranges') }}

),

holds as (

    select * from {{ ref('outreach_holds') }}

),

holds_ranked as (

    select
        account_id,
        hold_id,
        hold_reason,
        row_number() over (partition by account_id order by hold_order) as hold_rank
    from holds

),

holds_listed as (

    select
        account_id,
        count(*) as holds_in_force,
        {{ dbt.listagg('hold_reason', "'; '", 'order by hold_rank') }} as hold_reasons
    from holds_ranked
    group by account_id

),

talk_track_values as (

    select
        candidates.dedupe_key,
        candidates.alert_id,
        candidates.account_id,
        candidates.trigger_id,
        candidates.fired_on,
        facts.persona,
        coalesce({{ split_part_at('facts.contact_name', "' '", 1) }}, 'there') as contact_name,
        candidates.account_name,
        {{ format_percent('facts.active_user_seat_ratio') }} as seat_use,
        {{ format_signed_percent('facts.events_per_day_30d_vs_prior - 1') }} as usage_trend,
        cast(cast(round(facts.health_score, 0) as bigint) as {{ dbt.type_string() }})
            as health_score,
        cast(facts.renewal_date as {{ dbt.type_string() }}) as renewal_date,
        {{ format_signal('candidates.signal_value', 'registry.threshold_unit') }}
            as signal,
        {{ format_signal('candidates.threshold_value', 'registry.threshold_unit') }}
            as threshold,
        {{ format_number('registry.window_value') }} as window_length,
        lower(coalesce(motions.motion_name, scorecard.recommended_motion, registry.motion))
            as motion,
        coalesce(
            {{ format_usd_thousands('scorecard.estimated_expansion_acv') }},
            'an amount we size with you'
        ) as estimated_acv,
        candidates.owner,
        cast(candidates.due_date as {{ dbt.type_string() }}) as due_date

    from candidates
    inner join registry
        on candidates.trigger_id = registry.trigger_id
    left join facts
        on candidates.account_id = facts.account_id
    left join scorecard
        on candidates.account_id = scorecard.account_id
    left join motions
        on coalesce(scorecard.recommended_motion, registry.motion) = motions.motion

),

filled as (

    select
        talk_track_values.dedupe_key,
        talk_track_values.alert_id,
        talk_track_values.account_id,
        talk_track_values.trigger_id,
        talk_track_values.fired_on,
        talk_track_values.persona,
        {{ fill_talk_track('talk_tracks.opener', 'talk_track_values') }} as opener,
        {{ fill_talk_track('talk_tracks.evidence', 'talk_track_values') }} as evidence,
        {{ fill_talk_track('talk_tracks.question', 'talk_track_values') }} as question,
        {{ fill_talk_track('talk_tracks.offer', 'talk_track_values') }} as offer,
        {{ fill_talk_track('talk_tracks.next_step', 'talk_track_values') }} as next_step

    from talk_track_values
    left join talk_tracks
        on
            talk_track_values.trigger_id = talk_tracks.trigger_id
            and talk_track_values.persona = talk_tracks.persona

),

final as (

    select
        cast(filled.alert_id as {{ dbt.type_string() }}) as alert_id,
        cast(filled.dedupe_key as {{ dbt.type_string() }}) as dedupe_key,
        cast(filled.account_id as {{ dbt.type_string() }}) as account_id,
        cast(filled.trigger_id as {{ dbt.type_string() }}) as trigger_id,
        cast(filled.fired_on as date) as fired_on,
        cast(filled.persona as {{ dbt.type_string() }}) as persona,
        cast(filled.opener as {{ dbt.type_string() }}) as opener,
        cast(filled.evidence as {{ dbt.type_string() }}) as evidence,
        cast(filled.question as {{ dbt.type_string() }}) as question,
        cast(filled.offer as {{ dbt.type_string() }}) as offer,
        cast(filled.next_step as {{ dbt.type_string() }}) as next_step,
        cast(
            {{ dbt.concat([
                'filled.opener', "' '", 'filled.evidence', "' '", 'filled.question',
                "' '", 'filled.offer', "' '", 'filled.next_step',
            ]) }} as {{ dbt.type_string() }}
        ) as talk_track_text,
        coalesce(holds_listed.holds_in_force, 0) > 0 as is_held,
        cast(first_holds.hold_id as {{ dbt.type_string() }}) as hold_id,
        cast(holds_listed.hold_reasons as {{ dbt.type_string() }}) as hold_reasons

    from filled
    left join holds_listed
        on filled.account_id = holds_listed.account_id
    left join holds_ranked as first_holds
        on
            filled.account_id = first_holds.account_id
            and first_holds.hold_rank = 1

)

select * from final
