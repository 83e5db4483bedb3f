{#
    Every row of `relation` twice: once with `scope` = its segment, once with
    scope 'All'. The one way a model reports per segment and for the whole
    company: aggregate (or join) by scope, and the 'All' row is computed from
    the same rows as the segments', with the same expressions.
    Use it as the body of a CTE: `scoped as ({{ segment_and_all_scopes('eligible') }})`.
#}
{% macro segment_and_all_scopes(relation, segment_column='segment') -%}
    select
        {{ relation }}.*,
        {{ relation }}.{{ segment_column }} as scope
    from {{ relation }}
    union all
    select
        {{ relation }}.*,
        'All' as scope
    from {{ relation }}
{%- endmacro %}
