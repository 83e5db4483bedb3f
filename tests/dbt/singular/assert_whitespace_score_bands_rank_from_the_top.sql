-- band_rank 1 is the highest whitespace score band, 2 the next one down, and
-- so on (contiguity is the generic test contiguous_bands on the seed).
with

bands as (

    select
        score_band,
        row_number() over (order by min_score desc) as position_from_the_top,
        row_number() over (order by band_rank) as position_by_rank
    from {{ ref('whitespace_score_bands') }}

)

select score_band
from bands
where position_from_the_top <> position_by_rank
