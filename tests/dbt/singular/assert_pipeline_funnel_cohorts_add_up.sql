-- csql_funnel: in every breakdown, won + lost + open = CSQLs created; no
-- stage is reached by more CSQLs than were created (trigger_fired, closed
-- included); SLA met <= applicable <= reached; and the segment, owner and
-- motion breakdowns each add up to the 'all' row.
with

funnel as (

    select * from {{ ref('csql_funnel') }}

),

all_row as (

    select
        csqls_created,
        closed_won
    from funnel
    where dimension = 'all' and stage = 'csql_created'

),

breakdown_sums as (

    select
        dimension,
        sum(csqls_created) as csqls_created,
        sum(closed_won) as closed_won
    from funnel
    where dimension <> 'all' and stage = 'csql_created'
    group by dimension

)

select
    'row' as failure,
    funnel.dimension,
    funnel.dimension_value,
    funnel.stage
from funnel
where
    funnel.closed_won + funnel.closed_lost + funnel.open_opportunities <> funnel.csqls_created
    or funnel.opportunities_reached > funnel.csqls_created
    or funnel.sla_met > funnel.sla_applicable
    or funnel.sla_applicable > funnel.opportunities_reached

union all

select
    'breakdown_total' as failure,
    breakdown_sums.dimension,
    null as dimension_value,
    null as stage
from breakdown_sums
cross join all_row
where
    breakdown_sums.csqls_created <> all_row.csqls_created
    or breakdown_sums.closed_won <> all_row.closed_won
