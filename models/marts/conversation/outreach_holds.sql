{#-
    Each rule's value is compared by macro satisfies_comparison. The values,
    from int_conversation_account_facts:
      - open_problem_ticket: open tickets of a priority in match_terms;
      - csat_drop: the CSAT before the latest minus the latest (null without two),
        for window_value days after the latest CSAT's ticket was resolved;
      - gone_quiet: events per active day, last 30 days / prior 30 days;
      - no_recent_contact: days since the last CRM activity;
      - fiscal_quarter_close: days to the end of our own fiscal quarter
        (conversation_settings.our_fiscal_year_start_month);
      - opted_out: 1 when the CRM account opted out of expansion outreach.
    A null value holds nothing. A value observed on a day (days_since_observed)
    holds for the rule's window_value days from it; the others every day.
    alert_briefs applies the holds to the alerts.
-#}
with

facts as (

    select * from {{ ref('int_conversation_account_facts') }}

),

rules as (

    select * from {{ ref('outreach_hold_rules') }}

),

hold_values as (

    select
        account_id,
        as_of_date,
        'open_problem_ticket' as hold_id,
        cast(open_problem_tickets as {{ type_decimal() }}) as hold_value,
        cast(null as integer) as days_since_observed
    from facts
    union all
    select
        account_id,
        as_of_date,
        'csat_drop' as hold_id,
        cast(previous_csat_score - latest_csat_score as {{ type_decimal() }}) as hold_value,
        {{ dbt.datediff(
            'latest_csat_resolved_on', 'as_of_date', 'day'
        ) }} as days_since_observed
    from facts
    union all
    select
        account_id,
        as_of_date,
        'gone_quiet' as hold_id,
        cast(events_per_day_30d_vs_prior as {{ type_decimal() }}) as hold_value,
        cast(null as integer) as days_since_observed
    from facts
    union all
    select
        account_id,
        as_of_date,
        'no_recent_contact' as hold_id,
        cast(days_since_last_touch as {{ type_decimal() }}) as hold_value,
        cast(null as integer) as days_since_observed
    from facts
    union all
    select
        account_id,
        as_of_date,
        'fiscal_quarter_close' as hold_id,
        cast(days_to_our_quarter_end as {{ type_decimal() }}) as hold_value,
        cast(null as integer) as days_since_observed
    from facts
    union all
    select
        account_id,
        as_of_date,
        'opted_out' as hold_id,
        cast(case when is_expansion_outreach_opted_out then 1 else 0 end as {{ type_decimal() }})
            as hold_value,
        cast(null as integer) as days_since_observed
    from facts

),

holds_in_force as (

    select
        hold_values.account_id,
        hold_values.as_of_date,
        hold_values.hold_id,
        rules.hold_order,
        rules.description as hold_reason,
        hold_values.hold_value,
        rules.threshold_value

    from hold_values
    inner join rules
        on hold_values.hold_id = rules.hold_id
    where
        rules.is_enabled
        and {{ satisfies_comparison(
            'rules.comparison', 'hold_values.hold_value', 'rules.threshold_value'
        ) }}
        and (
            hold_values.days_since_observed is null
            or rules.window_value is null
            or hold_values.days_since_observed <= rules.window_value
        )

),

final as (

    select
        cast(account_id as {{ dbt.type_string() }}) as account_id,
        cast(as_of_date as date) as as_of_date,
        cast(hold_id as {{ dbt.type_string() }}) as hold_id,
        cast(hold_order as integer) as hold_order,
        cast(hold_reason as {{ dbt.type_string() }}) as hold_reason,
        cast(hold_value as {{ type_decimal() }}) as hold_value,
        cast(threshold_value as {{ type_decimal() }}) as threshold_value
    from holds_in_force

)

select * from final
