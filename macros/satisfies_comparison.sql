{#
    `left <comparison> right` for a comparison named in a seed (gt, gte, lt,
    lte), as a boolean expression: the benchmark bars of
    seeds.company_benchmarks ("a value earns the best-ranked rating whose
    comparison it satisfies").
#}
{% macro satisfies_comparison(comparison, left, right) -%}
    case {{ comparison }}
        when 'gt' then {{ left }} > {{ right }}
        when 'gte' then {{ left }} >= {{ right }}
        when 'lt' then {{ left }} < {{ right }}
        when 'lte' then {{ left }} <= {{ right }}
    end
{%- endmacro %}
