{#
    The trigger models of the project: every model in the
    `intermediate/triggers` folder whose name starts with `trg_`, found in
    `graph` at execution time, sorted by name. Parse time returns an empty
    list.
#}
{% macro trigger_model_nodes() -%}
    {%- set found = [] -%}
    {%- if execute -%}
        {%- for node in graph.nodes.values() -%}
            {%- if node.resource_type == 'model' and node.name.startswith('trg_') and 'triggers' in node.fqn[:-1] -%}
                {%- do found.append(node) -%}
            {%- endif -%}
        {%- endfor -%}
    {%- endif -%}
    {{ return(found | sort(attribute='name')) }}
{%- endmacro %}


{#
    True for a trigger model whose condition is not one comparison of its
    signal with the threshold (it sets `meta: {compares_thresholds: true}`
    in its config): it evaluates macro trigger_thresholds itself and returns
    one row per threshold on which the condition holds.
#}
{% macro trigger_model_compares_thresholds(node) -%}
    {{ return(node.config.get('meta', {}).get('compares_thresholds', false) is true) }}
{%- endmacro %}


{#
    Union of every trigger model with its trigger id: account_id, trigger_id,
    evaluated_on, signal_value (uncast: it is compared with the thresholds
    as the model computed it, in the type the union resolves to) and
    threshold_value - null for a signal model (int_trigger_evaluations
    compares the signal with every threshold), the threshold for a model
    that compares thresholds itself (trigger_model_compares_thresholds).

    Refs are taken at execution time, so dbt must know them at parse time:
    int_trigger_signals carries one `-- depends_on` line per trigger model,
    which the singular test
    assert_every_enabled_trigger_has_a_model_and_vice_versa checks.
#}
{% macro union_trigger_models() -%}
    {%- set nodes = trigger_model_nodes() -%}
    {%- if nodes | length == 0 %}
    select
        cast(null as {{ dbt.type_string() }}) as account_id,
        cast(null as {{ dbt.type_string() }}) as trigger_id,
        cast(null as date) as evaluated_on,
        cast(null as {{ type_decimal() }}) as signal_value,
        cast(null as {{ type_decimal() }}) as threshold_value
    where 1 = 0
    {%- else -%}
    {%- for node in nodes %}
    select
        cast(account_id as {{ dbt.type_string() }}) as account_id,
        cast('{{ trigger_id_of(node.name) }}' as {{ dbt.type_string() }}) as trigger_id,
        cast(evaluated_on as date) as evaluated_on,
        signal_value,
        {%- if trigger_model_compares_thresholds(node) %}
        cast(threshold_value as {{ type_decimal() }}) as threshold_value
        {%- else %}
        cast(null as {{ type_decimal() }}) as threshold_value
        {%- endif %}
    from {{ ref(node.name) }}
    {% if not loop.last %}union all{% endif %}
    {%- endfor -%}
    {%- endif -%}
{%- endmacro %}
