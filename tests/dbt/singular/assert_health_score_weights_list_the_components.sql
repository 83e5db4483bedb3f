{#-
    seeds.health_score_weights has one row for every component the health
    score computes (macro health_score_components) and none for a component
    it does not: a row the model does not know would be ignored, a component
    without a row would score with no weight. One row per problem.
-#}
with

weights as (

    select * from {{ ref('health_score_weights') }}

),

components as (

    {%- for component in health_score_components() %}
    select cast('{{ component }}' as {{ dbt.type_string() }}) as component
    {% if not loop.last %}union all{% endif %}
    {%- endfor %}

),

problems as (

    select
        weights.component,
        'a row in health_score_weights for no component of health_score_components()' as problem
    from weights
    left join components
        on weights.component = components.component
    where components.component is null

    union all

    select
        components.component,
        'a component of health_score_components() with no row in health_score_weights' as problem
    from components
    left join weights
        on components.component = weights.component
    where weights.component is null

)

select * from problems
