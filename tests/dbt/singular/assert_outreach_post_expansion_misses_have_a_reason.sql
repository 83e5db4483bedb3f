-- Every expansion that did not stick says why, every unchecked one says why
-- it was not checked, and no check reads past the as-of date.
with

checks as (

    select * from {{ ref('post_expansion_checks') }}

),

broken as (

    select expansion_id
    from checks
    where
        (not did_stick and reason is null)
        or (did_stick is null and reason is null)
        or (did_stick and reason is not null)
        or check_date > as_of_date
        or check_date <= expansion_date

)

select * from broken
