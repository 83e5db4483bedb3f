{#-
    The factors, each normalised to 0-1:

      product_fit            (fit_score - 1) / 4 from seeds.industry_product_fit
                             (1 -> 0, 3 -> 0.5, 5 -> 1; no row for the industry -> 0)
      adoption_depth         usage percentile within the segment (account states)
      expressed_interest     least(1, interest signals / interest_signals_for_full_score)
      budget_timing          1 or 0 (account states)
      champion_availability  1 or 0 (account states)

    - each contributing round(100 x weight x factor score, 2) points
    (weights from seeds.whitespace_weights, summing to 1), and
    whitespace_score = the sum of the five contributions (0-100).

    peer_propensity: of the other active accounts with the same segment,
    industry and ARR size band that day, the share that own the family (null
    when there is no other). The bridge narrative starts from the family the
    account spends most on (ties: family name) - seeds.bridge_narratives.
-#}
{{ config(materialized='table') }}
with

account_states as (

    select * from {{ ref('int_whitespace_account_states') }}

),

owned_families as (

    select * from {{ ref('int_whitespace_owned_families') }}

),

family_interest as (

    select * from {{ ref('int_whitespace_family_interest') }}

),

products as (

    select * from {{ ref('stg_billing__products') }}

),

industry_product_fit as (

    select * from {{ ref('industry_product_fit') }}

),

bridge_narratives as (

    select * from {{ ref('bridge_narratives') }}

),

weights as (

    select * from {{ ref('whitespace_weights') }}

),

settings as (

    select * from {{ ref('whitespace_settings') }}

),

score_bands as (

    select * from {{ ref('whitespace_score_bands') }}

),

families as (

    select distinct product_family
    from products

),

factor_weights as (

    select
        max(case when factor = 'product_fit' then weight end) as product_fit_weight,
        max(case when factor = 'adoption_depth' then weight end) as adoption_depth_weight,
        max(case when factor = 'expressed_interest' then weight end) as expressed_interest_weight,
        max(case when factor = 'budget_timing' then weight end) as budget_timing_weight,
        max(case when factor = 'champion_availability' then weight end)
            as champion_availability_weight

    from weights

),

candidate_pairs as (

    select
        account_states.*,
        families.product_family

    from account_states
    cross join families
    left join owned_families
        on
            account_states.account_id = owned_families.account_id
            and account_states.evaluation_date = owned_families.evaluation_date
            and families.product_family = owned_families.product_family
    where
        account_states.is_above_health_threshold
        and owned_families.account_id is null

),

peer_groups as (

    select
        evaluation_date,
        segment,
        industry,
        arr_size_band,
        count(*) as peer_group_accounts

    from account_states
    group by
        evaluation_date,
        segment,
        industry,
        arr_size_band

),

peer_group_owners as (

    select
        account_states.evaluation_date,
        account_states.segment,
        account_states.industry,
        account_states.arr_size_band,
        owned_families.product_family,
        count(*) as owner_accounts

    from account_states
    inner join owned_families
        on
            account_states.account_id = owned_families.account_id
            and account_states.evaluation_date = owned_families.evaluation_date
    group by
        account_states.evaluation_date,
        account_states.segment,
        account_states.industry,
        account_states.arr_size_band,
        owned_families.product_family

),

anchor_families_ranked as (

    select
        account_id,
        evaluation_date,
        product_family,
        row_number() over (
            partition by account_id, evaluation_date
            order by family_arr_usd desc, product_family asc
        ) as spend_rank

    from owned_families

),

factors_scored as (

    select
        candidate_pairs.account_id,
        candidate_pairs.evaluation_date,
        candidate_pairs.evaluation_role,
        candidate_pairs.product_family,
        candidate_pairs.account_name,
        candidate_pairs.segment,
        candidate_pairs.industry,
        candidate_pairs.arr_usd,
        candidate_pairs.arr_size_band,
        candidate_pairs.health_score,
        industry_product_fit.fit_score,
        cast(
            coalesce((industry_product_fit.fit_score - 1) / 4.0, 0) as decimal(10, 4)
        ) as product_fit_score,
        candidate_pairs.events_30d,
        candidate_pairs.adoption_depth_score,
        coalesce(family_interest.interest_signals, 0) as interest_signals,
        cast(
            case
                when
                    coalesce(family_interest.interest_signals, 0)
                    >= settings.interest_signals_for_full_score
                    then 1
                else
                    coalesce(family_interest.interest_signals, 0)
                    / cast(settings.interest_signals_for_full_score as decimal(10, 4))
            end as decimal(10, 4)
        ) as expressed_interest_score,
        candidate_pairs.next_fiscal_year_start_date,
        candidate_pairs.next_renewal_date,
        candidate_pairs.budget_timing_score,
        candidate_pairs.has_champion,
        candidate_pairs.has_exec_sponsor,
        candidate_pairs.champion_availability_score,
        coalesce(peer_groups.peer_group_accounts, 1) - 1 as peer_accounts,
        coalesce(peer_group_owners.owner_accounts, 0) as peer_owner_accounts,
        anchor_families_ranked.product_family as from_product_family,
        bridge_narratives.narrative as bridge_narrative

    from candidate_pairs
    cross join settings
    left join industry_product_fit
        on
            candidate_pairs.industry = industry_product_fit.industry
            and candidate_pairs.product_family = industry_product_fit.product_family
    left join family_interest
        on
            candidate_pairs.account_id = family_interest.account_id
            and candidate_pairs.evaluation_date = family_interest.evaluation_date
            and candidate_pairs.product_family = family_interest.product_family
    left join peer_groups
        on
            candidate_pairs.evaluation_date = peer_groups.evaluation_date
            and candidate_pairs.segment = peer_groups.segment
            and candidate_pairs.industry = peer_groups.industry
            and candidate_pairs.arr_size_band = peer_groups.arr_size_band
    left join peer_group_owners
        on
            candidate_pairs.evaluation_date = peer_group_owners.evaluation_date
            and candidate_pairs.segment = peer_group_owners.segment
            and candidate_pairs.industry = peer_group_owners.industry
            and candidate_pairs.arr_size_band = peer_group_owners.arr_size_band
            and candidate_pairs.product_family = peer_group_owners.product_family
    left join anchor_families_ranked
        on
            candidate_pairs.account_id = anchor_families_ranked.account_id
            and candidate_pairs.evaluation_date = anchor_families_ranked.evaluation_date
            and anchor_families_ranked.spend_rank = 1
    left join bridge_narratives
        on
            anchor_families_ranked.product_family = bridge_narratives.from_product_family
            and candidate_pairs.product_family = bridge_narratives.to_product_family

),

contributions_computed as (

    select
        factors_scored.*,
        cast(
            round(
                100 * factor_weights.product_fit_weight * factors_scored.product_fit_score, 2
            )
            as decimal(6, 2)
        ) as product_fit_points,
        cast(
            round(
                100 * factor_weights.adoption_depth_weight * factors_scored.adoption_depth_score, 2
            )
            as decimal(6, 2)
        ) as adoption_depth_points,
        cast(
            round(
                100
                * factor_weights.expressed_interest_weight
                * factors_scored.expressed_interest_score,
                2
            )
            as decimal(6, 2)
        ) as expressed_interest_points,
        cast(
            round(
                100 * factor_weights.budget_timing_weight * factors_scored.budget_timing_score, 2
            )
            as decimal(6, 2)
        ) as budget_timing_points,
        cast(
            round(
                100
                * factor_weights.champion_availability_weight
                * factors_scored.champion_availability_score,
                2
            )
            as decimal(6, 2)
        ) as champion_availability_points

    from factors_scored
    cross join factor_weights

),

scores_totalled as (

    select
        contributions_computed.*,
        cast(
            contributions_computed.product_fit_points
            + contributions_computed.adoption_depth_points
            + contributions_computed.expressed_interest_points
            + contributions_computed.budget_timing_points
            + contributions_computed.champion_availability_points
            as decimal(6, 2)
        ) as whitespace_score

    from contributions_computed

),

final as (

    select
        scores_totalled.*,
        score_bands.score_band,
        score_bands.band_rank as score_band_rank,
        scores_totalled.whitespace_score >= settings.opportunity_min_score
            as is_cross_sell_opportunity,
        cast(
            scores_totalled.peer_owner_accounts
            / cast(nullif(scores_totalled.peer_accounts, 0) as {{ type_decimal() }})
            as decimal(10, 4)
        ) as peer_propensity

    from scores_totalled
    cross join settings
    left join score_bands
        on
            scores_totalled.whitespace_score >= score_bands.min_score
            and (
                score_bands.max_score is null
                or scores_totalled.whitespace_score < score_bands.max_score
            )

)

select * from final
