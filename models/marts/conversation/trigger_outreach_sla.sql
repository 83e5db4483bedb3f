{#-
    A firing is due an alert when its account passed its readiness gate and
    was under no risk suppression that day (readiness_gate_daily). First
    outreach = the first CRM activity of any type, or CSQL (an opportunity
    created), on the account on or after the firing day. Closed = an
    opportunity of the account created on or after the firing day and won
    within close_within_days of the first outreach. A firing counts towards
    the first-outreach share once its SLA has run out (fired at least
    first_outreach_within_days before the as-of date), and towards the close
    share once its first outreach is close_within_days old. Owner = the
    account's CSM; segment = the account's segment today.
-#}
with

firings as (

    select * from {{ ref('trigger_firings') }}

),

gate as (

    select * from {{ ref('readiness_gate_daily') }}

),

accounts as (

    select * from {{ ref('int_accounts_segmented') }}

),

activities as (

    select * from {{ ref('stg_crm__activities') }}

),

opportunities as (

    select * from {{ ref('stg_crm__opportunities') }}

),

settings as (

    select * from {{ ref('conversation_settings') }}

),

as_of as (

    select {{ as_of_date() }} as as_of_date

),

window_bounds as (

    select
        as_of.as_of_date,
        settings.first_outreach_within_days,
        settings.close_within_days,
        cast(
            {{ dbt.dateadd('day', '0 - settings.sla_lookback_days', 'as_of.as_of_date') }}
            as date
        ) as oldest_excluded_date
    from as_of
    cross join settings

),

alerted_firings as (

    select
        firings.account_id,
        firings.trigger_id,
        firings.fired_on,
        window_bounds.as_of_date,
        window_bounds.first_outreach_within_days,
        window_bounds.close_within_days

    from firings
    cross join window_bounds
    inner join gate
        on
            firings.account_id = gate.account_id
            and firings.fired_on = gate.as_of_date
    where
        gate.is_gate_passed
        and not gate.is_suppressed
        and firings.fired_on <= window_bounds.as_of_date
        and firings.fired_on > window_bounds.oldest_excluded_date

),

touches as (

    select
        account_id,
        cast(occurred_at as date) as touch_date
    from activities
    union all
    select
        account_id,
        cast(created_at as date) as touch_date
    from opportunities

),

first_outreaches as (

    select
        alerted_firings.account_id,
        alerted_firings.trigger_id,
        alerted_firings.fired_on,
        min(touches.touch_date) as first_outreach_date

    from alerted_firings
    inner join touches
        on
            alerted_firings.account_id = touches.account_id
            and alerted_firings.fired_on <= touches.touch_date
            and alerted_firings.as_of_date >= touches.touch_date
    group by
        alerted_firings.account_id,
        alerted_firings.trigger_id,
        alerted_firings.fired_on

),

with_outreach as (

    select
        alerted_firings.*,
        first_outreaches.first_outreach_date,
        {{ dbt.datediff(
            'alerted_firings.fired_on', 'first_outreaches.first_outreach_date', 'day'
        ) }} as days_to_first_outreach

    from alerted_firings
    left join first_outreaches
        on
            alerted_firings.account_id = first_outreaches.account_id
            and alerted_firings.trigger_id = first_outreaches.trigger_id
            and alerted_firings.fired_on = first_outreaches.fired_on

),

first_wins as (

    select
        with_outreach.account_id,
        with_outreach.trigger_id,
        with_outreach.fired_on,
        min(cast(opportunities.closed_at as date)) as first_won_date

    from with_outreach
    inner join opportunities
        on
            with_outreach.account_id = opportunities.account_id
            and cast(opportunities.created_at as date) >= with_outreach.fired_on
            and cast(opportunities.closed_at as date) >= with_outreach.first_outreach_date
            and cast(opportunities.closed_at as date) <= with_outreach.as_of_date
    where opportunities.outcome = 'won'
    group by
        with_outreach.account_id,
        with_outreach.trigger_id,
        with_outreach.fired_on

),

measured as (

    select
        with_outreach.*,
        first_wins.first_won_date,
        (
            {{ dbt.datediff('with_outreach.fired_on', 'with_outreach.as_of_date', 'day') }}
            >= with_outreach.first_outreach_within_days
        ) as is_first_outreach_measured,
        coalesce(
            with_outreach.days_to_first_outreach <= with_outreach.first_outreach_within_days,
            false
        ) as has_first_outreach_within_sla,
        coalesce(
            {{ dbt.datediff(
                'with_outreach.first_outreach_date', 'with_outreach.as_of_date', 'day'
            ) }} >= with_outreach.close_within_days,
            false
        ) as is_close_measured,
        coalesce(
            {{ dbt.datediff(
                'with_outreach.first_outreach_date', 'first_wins.first_won_date', 'day'
            ) }} <= with_outreach.close_within_days,
            false
        ) as has_closed_within_sla

    from with_outreach
    left join first_wins
        on
            with_outreach.account_id = first_wins.account_id
            and with_outreach.trigger_id = first_wins.trigger_id
            and with_outreach.fired_on = first_wins.fired_on

),

final as (

    select
        cast(measured.account_id as {{ dbt.type_string() }}) as account_id,
        cast(measured.trigger_id as {{ dbt.type_string() }}) as trigger_id,
        cast(measured.fired_on as date) as fired_on,
        cast(accounts.segment as {{ dbt.type_string() }}) as segment,
        cast(accounts.csm_owner as {{ dbt.type_string() }}) as owner,
        cast(measured.first_outreach_date as date) as first_outreach_date,
        cast(measured.days_to_first_outreach as integer) as days_to_first_outreach,
        cast(measured.first_won_date as date) as first_won_date,
        measured.is_first_outreach_measured,
        measured.has_first_outreach_within_sla,
        measured.is_close_measured,
        measured.has_closed_within_sla

    from measured
    left join accounts
        on measured.account_id = accounts.account_id

)

select * from final
