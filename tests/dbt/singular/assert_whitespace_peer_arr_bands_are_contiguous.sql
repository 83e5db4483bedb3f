-- Every ARR from 0 up belongs to exactly one peer ARR size band: the lowest
-- band starts at 0, each band ends where the next one starts, and only the
-- top band is open-ended.
with

bands as (

    select * from {{ ref('whitespace_peer_arr_bands') }}

),

bands_with_next as (

    select
        arr_size_band,
        min_arr_usd,
        max_arr_usd,
        lead(min_arr_usd) over (order by min_arr_usd) as next_min_arr_usd,
        row_number() over (order by min_arr_usd) as band_position

    from bands

),

gaps as (

    select arr_size_band
    from bands_with_next
    where
        (band_position = 1 and min_arr_usd <> 0)
        or (
            next_min_arr_usd is not null
            and (max_arr_usd is null or max_arr_usd <> next_min_arr_usd)
        )
        or (next_min_arr_usd is null and max_arr_usd is not null)

)

select * from gaps
