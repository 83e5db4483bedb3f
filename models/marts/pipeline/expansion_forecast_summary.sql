{#-
    The 'All' rows are the sums of the segment rows.
-#}
with

forecast as (

    select * from {{ ref('expansion_forecast') }}

),

rolled_up as (

    {{ segment_and_all_scopes('forecast') }}

),

summed as (

    select
        scope as segment,
        expected_close_quarter,
        max(as_of_date) as as_of_date,
        count(*) as forecast_rows,
        sum(case when forecast_source = 'open_opportunity' then 1 else 0 end) as open_opportunities,
        sum(case when forecast_source = 'ready_account' then 1 else 0 end) as ready_accounts,
        -- a row without an ACV estimate adds nothing (it is not an estimate of 0)
        coalesce(sum(estimated_acv_usd), 0) as estimated_acv_usd,
        coalesce(sum(expected_expansion_arr_usd), 0) as expected_expansion_arr_usd,
        sum(
            case
                when forecast_source = 'open_opportunity'
                    then coalesce(expected_expansion_arr_usd, 0)
                else 0
            end
        ) as expected_from_opportunities_usd,
        sum(
            case
                when forecast_source = 'ready_account'
                    then coalesce(expected_expansion_arr_usd, 0)
                else 0
            end
        ) as expected_from_ready_accounts_usd

    from rolled_up
    group by scope, expected_close_quarter

),

final as (

    select
        cast(segment as {{ dbt.type_string() }}) as segment,
        expected_close_quarter,
        cast(forecast_rows as {{ dbt.type_bigint() }}) as forecast_rows,
        cast(open_opportunities as {{ dbt.type_bigint() }}) as open_opportunities,
        cast(ready_accounts as {{ dbt.type_bigint() }}) as ready_accounts,
        cast(estimated_acv_usd as decimal(18, 2)) as estimated_acv_usd,
        cast(expected_expansion_arr_usd as decimal(18, 2)) as expected_expansion_arr_usd,
        cast(expected_from_opportunities_usd as decimal(18, 2)) as expected_from_opportunities_usd,
        cast(expected_from_ready_accounts_usd as decimal(18, 2))
            as expected_from_ready_accounts_usd,
        cast(
            cast(expected_expansion_arr_usd as {{ dbt.type_numeric() }})
            / nullif(estimated_acv_usd, 0) as decimal(10, 6)
        ) as blended_close_rate,
        as_of_date

    from summed

)

select * from final
