{#
    The health score's components (SPEC 4), in the order the score lists
    them: component -> the metric it scores, an expression over the `inputs`
    CTE of int_account_health_daily (null = the input is missing that day).
    Each has a row in seeds.health_score_weights (weight, zero and full score
    points, age and history limits) - the singular test
    assert_health_score_weights_list_the_components holds the two together.
    Read by int_account_health_daily (the score) and the test that recomputes
    the score from the mart.
#}
{% macro health_score_components() -%}
    {{ return({
        'usage_vs_seats': 'inputs.active_user_seat_ratio',
        'engagement_trend': 'inputs.events_per_day_30d_vs_prior',
        'feature_adoption': 'inputs.core_feature_adoption_ratio',
        'nps': 'inputs.latest_nps_score',
        'csat': 'inputs.latest_csat_score',
        'support_load': 'inputs.open_tickets',
        'ticket_trend': 'inputs.tickets_opened_30d - inputs.tickets_opened_prior_30d',
        'relationship': 'inputs.champion_and_exec_sponsor_present',
        'days_since_last_touch': 'inputs.days_since_last_touch',
    }) }}
{%- endmacro %}
