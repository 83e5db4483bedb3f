-- expansion_forecast_summary: per segment and quarter, the counts and
-- expected ARR are those of expansion_forecast (a row without an ACV
-- estimate adds nothing), and each row is estimated ACV x close rate (to the
-- cent of rounding).
with

forecast as (

    select * from {{ ref('expansion_forecast') }}

),

summary as (

    select * from {{ ref('expansion_forecast_summary') }}

),

recomputed as (

    select
        segment,
        expected_close_quarter,
        count(*) as forecast_rows,
        coalesce(sum(expected_expansion_arr_usd), 0) as expected_expansion_arr_usd
    from forecast
    group by segment, expected_close_quarter

    union all

    select
        'All' as segment,
        expected_close_quarter,
        count(*) as forecast_rows,
        coalesce(sum(expected_expansion_arr_usd), 0) as expected_expansion_arr_usd
    from forecast
    group by expected_close_quarter

)

select
    'summary' as failure,
    coalesce(summary.segment, recomputed.segment) as segment,
    coalesce(summary.expected_close_quarter, recomputed.expected_close_quarter)
        as expected_close_quarter
from summary
full outer join recomputed
    on
        summary.segment = recomputed.segment
        and summary.expected_close_quarter = recomputed.expected_close_quarter
where
    summary.segment is null
    or recomputed.segment is null
    or summary.forecast_rows <> recomputed.forecast_rows
    or abs(summary.expected_expansion_arr_usd - recomputed.expected_expansion_arr_usd) > 0.01

union all

select
    'row' as failure,
    segment,
    expected_close_quarter
from forecast
where abs(expected_expansion_arr_usd - estimated_acv_usd * close_rate) > 0.01
