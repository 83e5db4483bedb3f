-- Every whitespace score is the sum of its five contributions, lies within
-- 0-100, and each factor score is a 0-1 fraction.
with

scores as (

    select * from {{ ref('whitespace_scores') }}

),

broken as (

    select
        account_id,
        product_family,
        whitespace_score
    from scores
    where
        whitespace_score
        <> product_fit_points
        + adoption_depth_points
        + expressed_interest_points
        + budget_timing_points
        + champion_availability_points
        or whitespace_score < 0
        or whitespace_score > 100
        or product_fit_score not between 0 and 1
        or adoption_depth_score not between 0 and 1
        or expressed_interest_score not between 0 and 1
        or budget_timing_score not between 0 and 1
        or champion_availability_score not between 0 and 1

)

select * from broken
