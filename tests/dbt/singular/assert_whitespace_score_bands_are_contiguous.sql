-- Every whitespace score from 0 up belongs to exactly one score band: the
-- lowest band starts at 0, each band ends where the next one starts, only
-- the top band is open-ended, and band_rank 1 is the highest band.
with

bands as (

    select * from {{ ref('whitespace_score_bands') }}

),

bands_with_next as (

    select
        score_band,
        band_rank,
        min_score,
        max_score,
        lead(min_score) over (order by min_score) as next_min_score,
        row_number() over (order by min_score) as band_position,
        row_number() over (order by band_rank desc) as position_by_rank

    from bands

),

gaps as (

    select score_band
    from bands_with_next
    where
        (band_position = 1 and min_score <> 0)
        or (
            next_min_score is not null
            and (max_score is null or max_score <> next_min_score)
        )
        or (next_min_score is null and max_score is not null)
        or band_position <> position_by_rank

)

select * from gaps
