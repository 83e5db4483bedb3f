-- The outreach calendar's phases follow each other without gap or overlap
-- from day 1 to day 90 (SPEC 10).
with

phases as (

    select * from {{ ref('outreach_calendar_phases') }}

),

phases_with_next as (

    select
        phase,
        phase_order,
        start_day,
        end_day,
        lead(start_day) over (order by phase_order) as next_start_day,
        row_number() over (order by phase_order) as phase_position

    from phases

),

broken as (

    select phase
    from phases_with_next
    where
        end_day < start_day
        or (phase_position = 1 and start_day <> 1)
        or (next_start_day is not null and next_start_day <> end_day + 1)
        or (next_start_day is null and end_day <> 90)

)

select * from broken
