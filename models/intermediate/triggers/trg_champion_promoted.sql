{#-
    A promotion is a champion's new contact row (SCD2: a title change) whose
    title contains one of the registry's match_terms while the previous
    row's title did not, evaluated on the new row's valid_from; the signal
    is the number of promotions that day.
-#}
{%- set term_pattern = dbt.concat(["'%'", "match_terms.term", "'%'"]) %}

with

contacts as (

    select * from {{ ref('stg_crm__contacts') }}

),

match_terms as (

    {{ trigger_match_terms('champion_promoted') }}

),

contact_versions as (

    select
        contact_id,
        account_id,
        cast(valid_from as date) as valid_from_date,
        lower(title) as title,
        is_champion,
        lag(lower(title)) over (partition by contact_id order by valid_from) as previous_title,
        lag(is_champion) over (partition by contact_id order by valid_from) as was_champion
    from contacts

),

senior_titles as (

    select distinct
        contact_versions.contact_id,
        contact_versions.valid_from_date,
        contact_versions.title
    from contact_versions
    inner join match_terms
        on
            match_terms.term <> ''
            and contact_versions.title like {{ term_pattern }}

),

previously_senior as (

    select distinct
        contact_versions.contact_id,
        contact_versions.valid_from_date
    from contact_versions
    inner join match_terms
        on
            match_terms.term <> ''
            and contact_versions.previous_title like {{ term_pattern }}

),

promotions as (

    select
        contact_versions.account_id,
        contact_versions.valid_from_date,
        count(*) as promotions
    from contact_versions
    inner join senior_titles
        on
            contact_versions.contact_id = senior_titles.contact_id
            and contact_versions.valid_from_date = senior_titles.valid_from_date
    left join previously_senior
        on
            contact_versions.contact_id = previously_senior.contact_id
            and contact_versions.valid_from_date = previously_senior.valid_from_date
    where
        contact_versions.previous_title is not null
        and previously_senior.contact_id is null
        and (contact_versions.is_champion or contact_versions.was_champion)
    group by
        contact_versions.account_id,
        contact_versions.valid_from_date

),

final as (

    select
        promotions.account_id,
        promotions.valid_from_date as evaluated_on,
        promotions.promotions as signal_value
    from promotions

)

select * from final
