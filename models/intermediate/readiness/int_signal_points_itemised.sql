{#-
    An empty max_value is no upper bound; a missing value earns nothing.
-#}
with

inputs as (

    select * from {{ ref('int_readiness_inputs') }}

),

signal_points as (

    select * from {{ ref('signal_points') }}

),

{#- signal_id: its value over `inputs` #}
{%- set signals = {
    'usage_near_capacity': 'usage_capacity_ratio',
    'positive_outcome': 'positive_outcomes',
    'department_or_headcount_growth': 'departments_added_since_purchase',
    'asked_for_missing_features': 'unowned_product_requests',
    'recent_promoter_nps': 'best_recent_nps_score',
    'renewal_window': 'days_to_renewal',
    'new_initiative': 'new_initiatives',
    'users_exceed_single_seat': 'case when paid_seats <= 1 then active_users else 0 end',
    'company_grew': 'employee_growth_since_purchase',
} %}

signal_values as (

    {%- for signal_id, expression in signals.items() %}

        select
            account_id,
            as_of_date,
            evaluation_role,
            '{{ signal_id }}' as signal_id,
            cast({{ expression }} as {{ type_decimal() }}) as signal_value
        from inputs
        {{ 'union all' if not loop.last }}
    {%- endfor %}

),

points_earned as (

    select
        signal_values.account_id,
        signal_values.as_of_date,
        signal_values.evaluation_role,
        signal_values.signal_id,
        signal_points.description as signal_description,
        signal_values.signal_value,
        signal_points.min_value,
        signal_points.max_value,
        signal_points.points as signal_max_points,
        coalesce(
            signal_values.signal_value >= signal_points.min_value
            and (
                signal_points.max_value is null
                or signal_values.signal_value <= signal_points.max_value
            ),
            false
        ) as is_earned

    from signal_values
    inner join signal_points
        on signal_values.signal_id = signal_points.signal_id

),

final as (

    select
        account_id,
        as_of_date,
        cast(evaluation_role as {{ dbt.type_string() }}) as evaluation_role,
        cast(signal_id as {{ dbt.type_string() }}) as signal_id,
        signal_description,
        signal_value,
        min_value,
        max_value,
        signal_max_points,
        is_earned,
        case when is_earned then signal_max_points else 0 end as points_earned

    from points_earned

)

select * from final
