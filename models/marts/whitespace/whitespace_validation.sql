{#-
    adoption_rate = adopted_pairs / pairs in the band; lift = adoption_rate /
    the rate over all pairs. A band without pairs has a null rate.
-#}
with

pairs_scored as (

    select * from {{ ref('int_whitespace_pairs_scored') }}

),

evaluation_dates as (

    select * from {{ ref('int_whitespace_evaluation_dates') }}

),

subscription_lines as (

    select * from {{ ref('stg_billing__subscriptions') }}

),

products as (

    select * from {{ ref('stg_billing__products') }}

),

score_bands as (

    select * from {{ ref('whitespace_score_bands') }}

),

validation_date as (

    select
        evaluation_date,
        as_of_date
    from evaluation_dates
    where evaluation_role = 'validation'

),

family_starts as (

    select distinct
        subscription_lines.account_id,
        products.product_family

    from subscription_lines
    inner join products
        on subscription_lines.product_id = products.product_id
    cross join validation_date
    where
        subscription_lines.start_date > validation_date.evaluation_date
        and subscription_lines.start_date <= validation_date.as_of_date

),

validation_pairs as (

    select
        pairs_scored.account_id,
        pairs_scored.product_family,
        pairs_scored.score_band,
        case when family_starts.account_id is not null then 1 else 0 end as is_adopted

    from pairs_scored
    left join family_starts
        on
            pairs_scored.account_id = family_starts.account_id
            and pairs_scored.product_family = family_starts.product_family
    where pairs_scored.evaluation_role = 'validation'

),

overall as (

    select
        count(*) as pairs,
        sum(is_adopted) as adopted_pairs

    from validation_pairs

),

per_band as (

    select
        score_bands.score_band,
        score_bands.band_rank,
        score_bands.min_score,
        score_bands.max_score,
        count(validation_pairs.account_id) as pairs,
        coalesce(sum(validation_pairs.is_adopted), 0) as adopted_pairs

    from score_bands
    left join validation_pairs
        on score_bands.score_band = validation_pairs.score_band
    group by
        score_bands.score_band,
        score_bands.band_rank,
        score_bands.min_score,
        score_bands.max_score

),

final as (

    select
        cast(per_band.score_band as {{ dbt.type_string() }}) as score_band,
        cast(per_band.band_rank as integer) as band_rank,
        per_band.min_score,
        per_band.max_score,
        validation_date.evaluation_date,
        validation_date.as_of_date,
        cast(per_band.pairs as integer) as pairs,
        cast(per_band.adopted_pairs as integer) as adopted_pairs,
        cast(
            per_band.adopted_pairs / cast(nullif(per_band.pairs, 0) as {{ type_decimal() }})
            as decimal(10, 4)
        ) as adoption_rate,
        cast(
            overall.adopted_pairs / cast(nullif(overall.pairs, 0) as {{ type_decimal() }})
            as decimal(10, 4)
        ) as overall_adoption_rate,
        cast(
            (per_band.adopted_pairs / cast(nullif(per_band.pairs, 0) as {{ type_decimal() }}))
            / nullif(
                overall.adopted_pairs / cast(nullif(overall.pairs, 0) as {{ type_decimal() }}), 0
            )
            as decimal(10, 4)
        ) as lift

    from per_band
    cross join overall
    cross join validation_date

)

select * from final
