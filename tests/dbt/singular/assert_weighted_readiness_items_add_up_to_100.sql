-- Weighted readiness is 0–100 (SPEC 6): each item's best band is worth its
-- item_max_points, items add up to their component's maximum, and the
-- component maxima add up to 100. Returns the offending component (or 'total').
with

items as (

    select * from {{ ref('weighted_readiness_items') }}

),

item_maxima as (

    select
        component,
        item,
        max(component_max_points) as component_max_points,
        max(item_max_points) as item_max_points,
        max(points) as best_band_points

    from items
    group by component, item

),

component_totals as (

    select
        component,
        max(component_max_points) as component_max_points,
        sum(item_max_points) as item_max_points_total,
        sum(
            case when best_band_points <> item_max_points then 1 else 0 end
        ) as items_off_their_maximum

    from item_maxima
    group by component

),

failures as (

    select component
    from component_totals
    where
        item_max_points_total <> component_max_points
        or items_off_their_maximum > 0

    union all

    select 'total' as component
    from component_totals
    having sum(component_max_points) <> 100

)

select * from failures
