-- Signal points run from 0 to 64 (SPEC 6): all signals together are worth 64.
with

signals as (

    select * from {{ ref('signal_points') }}

),

total as (

    select sum(points) as total_points
    from signals

)

select * from total
where total_points <> 64
