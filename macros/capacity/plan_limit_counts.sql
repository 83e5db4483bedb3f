{#
    The one rule for which plan limits count as capacity (SPEC 6 "usage >=
    80% of purchased capacity", SPEC 7 usage_ceiling): a limit counts at a
    threshold share when at least one whole unit lies between the threshold
    and the limit - limit x (1 - threshold) >= 1; at 0.80 a limit of 5 or
    more. Below that, "80% of the limit" can only be reached by being at the
    limit, and a limit of 1 (Platform Starter's one environment) is met by
    any account that uses the product at all. An unlimited (null) limit
    never counts.

    plan_limit_counts(limit, threshold): the rule as a boolean expression.
    counted_limit_ratio(ratio, limit, threshold): the ratio where the limit
    counts, else null. The usage_ceiling trigger applies it at each swept
    threshold; int_readiness_inputs at the usage_near_capacity signal's
    threshold (seeds.signal_points), for the readiness scores and the
    scorecard's motion rules.
#}
{% macro plan_limit_counts(limit_expression, threshold_expression) -%}
    coalesce({{ limit_expression }} * (1 - {{ threshold_expression }}) >= 1, false)
{%- endmacro %}


{% macro counted_limit_ratio(ratio_expression, limit_expression, threshold_expression) -%}
    case
        when {{ plan_limit_counts(limit_expression, threshold_expression) }}
            then {{ ratio_expression }}
    end
{%- endmacro %}
