with

signal_items as (

    select * from {{ ref('int_signal_points_itemised') }}
    where evaluation_role = 'as_of'

),

weighted_items as (

    select * from {{ ref('int_weighted_readiness_itemised') }}

),

unioned as (

    select
        account_id,
        as_of_date,
        'signal_points' as score,
        'signals' as component,
        signal_id as item,
        signal_value as item_value,
        case when is_earned then 'earned' else 'not earned' end as band_label,
        signal_max_points as item_max_points,
        points_earned

    from signal_items

    union all

    select
        account_id,
        as_of_date,
        'weighted_readiness' as score,
        component,
        item,
        item_value,
        coalesce(band_label, item_label, 'missing') as band_label,
        item_max_points,
        points_earned

    from weighted_items

),

final as (

    select
        cast(account_id as {{ dbt.type_string() }}) as account_id,
        as_of_date,
        cast(score as {{ dbt.type_string() }}) as score,
        cast(component as {{ dbt.type_string() }}) as component,
        cast(item as {{ dbt.type_string() }}) as item,
        cast(item_value as {{ type_decimal() }}) as item_value,
        cast(band_label as {{ dbt.type_string() }}) as band_label,
        cast(item_max_points as int) as item_max_points,
        cast(points_earned as int) as points_earned

    from unioned

)

select * from final
