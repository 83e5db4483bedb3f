-- The whitespace score is a weighted average: its factor weights must add up to 1.
with

weights as (

    select * from {{ ref('whitespace_weights') }}

),

total as (

    select sum(weight) as total_weight
    from weights

)

select * from total
where total_weight <> 1
