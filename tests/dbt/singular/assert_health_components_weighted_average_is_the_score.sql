-- Identity of account_health_daily on its most recent day: the score is 100 x
-- the weighted average of the components that were scored, and scored_weight
-- is the weight of exactly those components (the missing-data rule).
with

health as (

    select * from {{ ref('account_health_daily') }}

),

weights as (

    select * from {{ ref('health_score_weights') }}

),

latest_day as (

    select max(score_date) as score_date
    from health

),

{%- set components = health_score_components().keys() | list %}

weight_columns as (

    select
        {{ seed_pivot('component', components, {'weight': 'weight'}) }}

    from weights

),

recomputed as (

    select
        health.account_id,
        health.health_score,
        health.scored_weight,
        (
            {%- for component in components %}
                coalesce(health.{{ component }}_score * weight_columns.{{ component }}_weight, 0)
                {{- ' +' if not loop.last }}
            {%- endfor %}
        ) as earned_points,
        (
            {%- for component in components %}
                case
                    when health.{{ component }}_score is not null
                        then weight_columns.{{ component }}_weight
                    else 0
                end{{ ' +' if not loop.last }}
            {%- endfor %}
        ) as recomputed_weight

    from health
    inner join latest_day
        on health.score_date = latest_day.score_date
    cross join weight_columns

)

select *
from recomputed
where
    recomputed_weight <> scored_weight
    or abs(100 * earned_points / recomputed_weight - health_score) > 0.01
