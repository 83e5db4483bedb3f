{#-
    One row per forecast cell - health band x activation status on the day
    the CSQL was created (int_opportunity_cells_at_creation) - plus one
    overall row ('All', 'All'): the historical close rate won / (won + lost)
    of the expansion opportunities closed within close_rate_history_days
    (seeds.pipeline_settings, 730) before the as-of date. Open deals are
    left out (not yet decided). Whether a cell has enough closed deals to be
    used is decided by the forecast (min_closed_deals_per_cell).
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
        cells.health_band,
        cells.activation_status,
        cells.outcome

    from cells
    cross join settings
    cross join as_of
    where
        cells.outcome in ('won', 'lost')
        and {{ dbt.datediff('cast(cells.closed_at as date)', 'as_of.as_of_date', 'day') }}
        < settings.close_rate_history_days

),

per_cell as (

    select
        health_band,
        activation_status,
        false as is_overall,
        count(*) as closed_deals,
        sum(case when outcome = 'won' then 1 else 0 end) as won_deals

    from closed_deals
    group by health_band, activation_status

),

overall as (

    select
        'All' as health_band,
        'All' as activation_status,
        true as is_overall,
        count(*) as closed_deals,
        sum(case when outcome = 'won' then 1 else 0 end) as won_deals

    from closed_deals

),

unioned as (

    select * from per_cell
    union all
    select * from overall

),

final as (

    select
        cast(health_band as {{ dbt.type_string() }}) as health_band,
        cast(activation_status as {{ dbt.type_string() }}) as activation_status,
        is_overall,
        cast(closed_deals as {{ dbt.type_bigint() }}) as closed_deals,
        cast(coalesce(won_deals, 0) as {{ dbt.type_bigint() }}) as won_deals,
        cast(
            cast(won_deals as {{ dbt.type_numeric() }}) / nullif(closed_deals, 0)
            as decimal(10, 6)
        ) as close_rate

    from unioned

)

select * from final
