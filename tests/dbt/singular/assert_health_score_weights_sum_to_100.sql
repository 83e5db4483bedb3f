-- The health score is 0–100: its component weights must add up to exactly 100.
with

weights as (

    select * from {{ ref('health_score_weights') }}

),

total as (

    select sum(weight) as total_weight
    from weights

)

select * from total
where total_weight <> 100
