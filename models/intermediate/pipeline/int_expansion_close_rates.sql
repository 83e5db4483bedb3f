{#-
    Open deals are left out (not yet decided); the overall row is every closed
    deal ('All' segment, band and tier) and is the prior of the segment rows.
    Shrinkage keeps a small cell whose few deals were all won from reading as
    a certain win, while a large cell keeps its own rate. observed_close_rate is the
    raw won / closed, closed_deals the cell size.
-#}
with

cells as (

    select * from {{ ref('int_opportunity_cells_at_creation') }}

),

settings as (

    select * from {{ ref('pipeline_settings') }}

),

as_of as (

    select {{ as_of_date() }} as as_of_date

),

closed_deals as (

    select
        cells.segment,
        cells.health_band,
        cells.signal_tier,
        case when cells.outcome = 'won' then 1 else 0 end as is_won

    from cells
    cross join settings
    cross join as_of
    where
        cells.outcome in ('won', 'lost')
        and {{ dbt.datediff('cast(cells.closed_at as date)', 'as_of.as_of_date', 'day') }}
        < settings.close_rate_history_days

),

overall as (

    select
        count(*) as closed_deals,
        sum(is_won) as won_deals,
        cast(sum(is_won) as {{ type_double() }}) / nullif(count(*), 0) as close_rate

    from closed_deals

),

per_segment as (

    select
        closed_deals.segment,
        count(*) as closed_deals,
        sum(closed_deals.is_won) as won_deals

    from closed_deals
    group by closed_deals.segment

),

segments_shrunk as (

    select
        per_segment.segment,
        per_segment.closed_deals,
        per_segment.won_deals,
        overall.close_rate as prior_close_rate,
        (per_segment.won_deals + settings.close_rate_prior_deals * overall.close_rate)
        / (per_segment.closed_deals + settings.close_rate_prior_deals) as close_rate

    from per_segment
    cross join overall
    cross join settings

),

per_cell as (

    select
        segment,
        health_band,
        signal_tier,
        count(*) as closed_deals,
        sum(is_won) as won_deals

    from closed_deals
    group by segment, health_band, signal_tier

),

cells_shrunk as (

    select
        per_cell.segment,
        per_cell.health_band,
        per_cell.signal_tier,
        per_cell.closed_deals,
        per_cell.won_deals,
        segments_shrunk.close_rate as prior_close_rate,
        (per_cell.won_deals + settings.close_rate_prior_deals * segments_shrunk.close_rate)
        / (per_cell.closed_deals + settings.close_rate_prior_deals) as close_rate

    from per_cell
    inner join segments_shrunk
        on per_cell.segment = segments_shrunk.segment
    cross join settings

),

unioned as (

    select
        'overall' as cell_level,
        'All' as segment,
        'All' as health_band,
        'All' as signal_tier,
        closed_deals,
        won_deals,
        cast(null as {{ type_double() }}) as prior_close_rate,
        close_rate
    from overall

    union all

    select
        'segment' as cell_level,
        segment,
        'All' as health_band,
        'All' as signal_tier,
        closed_deals,
        won_deals,
        prior_close_rate,
        close_rate
    from segments_shrunk

    union all

    select
        'cell' as cell_level,
        segment,
        health_band,
        signal_tier,
        closed_deals,
        won_deals,
        prior_close_rate,
        close_rate
    from cells_shrunk

),

final as (

    select
        cast(cell_level as {{ dbt.type_string() }}) as cell_level,
        cast(segment as {{ dbt.type_string() }}) as segment,
        cast(health_band as {{ dbt.type_string() }}) as health_band,
        cast(signal_tier as {{ dbt.type_string() }}) as signal_tier,
        cast(closed_deals as {{ dbt.type_bigint() }}) as closed_deals,
        cast(coalesce(won_deals, 0) as {{ dbt.type_bigint() }}) as won_deals,
        cast(
            cast(won_deals as {{ type_double() }}) / nullif(closed_deals, 0)
            as decimal(10, 6)
        ) as observed_close_rate,
        cast(prior_close_rate as decimal(10, 6)) as prior_close_rate,
        cast(close_rate as decimal(10, 6)) as close_rate

    from unioned

)

select * from final
