{#
    The readiness gate's criteria (SPEC 5), in the order the failed_criteria
    lists name them: criterion -> its value on the gate row, its setting in
    seeds.readiness_gate_criteria, how the two compare ('above': value >
    setting; 'at_least': value >= setting), the step of a suggested setting,
    and its pass condition. Ticket trend and exec sponsor are no thresholds:
    only a condition. int_readiness_gate_daily evaluates them;
    calibration_readiness_gate suggests settings from them.
#}
{% macro readiness_gate_criteria() -%}
    {%- set operators = {'above': '>', 'at_least': '>='} -%}
    {%- set thresholds = [
        ('days_since_onboarding', 'days_since_onboarding', 'days_since_onboarding_above', 'above', 1),
        ('core_features_adopted', 'core_features_used_30d', 'core_features_adopted_at_least', 'at_least', 1),
        ('departments', 'departments_active_30d', 'departments_at_least', 'at_least', 1),
        ('health_score', 'health_score', 'health_score_at_least', 'at_least', 1),
        ('active_user_seat_ratio', 'active_user_seat_ratio', 'active_user_seat_ratio_above', 'above', 0.01),
        ('ticket_trend', none, none, none, none),
        ('nps', 'latest_nps_score', 'nps_at_least', 'at_least', 1),
        ('exec_sponsor', none, none, none, none),
    ] -%}
    {%- set conditions = {
        'ticket_trend':
            "ticket_trend = 'declining'"
            ~ " or (ticket_trend = 'stable' and is_stable_ticket_trend_allowed)"
            ~ " or (ticket_trend = 'none' and is_no_ticket_trend_allowed)",
        'exec_sponsor': 'has_exec_sponsor or not requires_exec_sponsor',
    } -%}
    {%- set criteria = {} -%}
    {%- for criterion, value, setting, comparison, step in thresholds -%}
        {%- do criteria.update({criterion: {
            'value': value,
            'setting': setting,
            'comparison': comparison,
            'step': step,
            'condition': conditions[criterion] if setting is none
                else value ~ ' ' ~ operators[comparison] ~ ' ' ~ setting,
        }}) -%}
    {%- endfor -%}
    {{ return(criteria) }}
{%- endmacro %}
