-- A capped account is held until the first day of the next calendar quarter
-- and its plan starts then; an uncapped one starts on the as-of date and has
-- no capped_until and is under the cap (a capped account may be under it
-- when it is on hold for outreach fatigue, which the gate counts). The
-- opening conversation is never due before the plan starts.
with

queue as (

    select * from {{ ref('outreach_queue') }}

),

broken as (

    select account_id
    from queue
    where
        (is_capped and (
            capped_until is null
            or capped_until <= as_of_date
            or plan_start_date <> capped_until
        ))
        or (not is_capped and (
            capped_until is not null
            or plan_start_date <> as_of_date
            or outreaches_this_quarter + open_plans_carried_in >= max_outreaches_per_quarter
        ))
        or outreach_due_date < plan_start_date

)

select * from broken
