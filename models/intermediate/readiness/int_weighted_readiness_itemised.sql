{#-
    Numeric items fall in the band with min_value <= value < max_value (empty
    = unbounded); categorical items (ticket_trend, funding_in_last_year,
    exec_sponsor_engagement) match band_label. A missing value (no NPS, CSAT
    or firmographics) earns 0 and says so.

    Definitions: organisation adoption = weekly active users / paid seats;
    weekly active ratio = weekly active users / users created to date;
    feature breadth = share of core features used in 30 days; engaged
    stakeholders = contacts on record; executive sponsor engagement is
    "active" when a sponsor is on record and the last QBR is within the
    active band's max_value days, "moderate" with a sponsor otherwise;
    products not owned = modules not owned; ACV vs segment median = ARR /
    median ARR of the segment's active accounts.
-#}
with

inputs as (

    select * from {{ ref('int_readiness_inputs') }}
    where evaluation_role = 'as_of'

),

items as (

    select * from {{ ref('weighted_readiness_items') }}

),

exec_sponsor_active_days as (

    select max(max_value) as active_max_days_since_qbr
    from items
    where item = 'exec_sponsor_engagement' and band_label = 'active'

),

{#- item: (numeric value expression or none, label expression or none) #}
{%- set numeric_items = {
    'organisation_adoption_rate': 'active_user_seat_ratio',
    'weekly_active_ratio': 'weekly_active_user_ratio',
    'feature_breadth': 'core_feature_adoption_ratio',
    'nps_score': 'latest_nps_score',
    'csat_score': 'latest_csat_score',
    'employee_growth_yoy': 'employee_growth_yoy',
    'open_roles': 'open_roles',
    'engaged_stakeholders': 'contacts_present',
    'acv_vs_segment_median': 'arr_to_segment_median_ratio',
    'products_not_owned': 'modules_not_owned',
} %}
{%- set label_items = {
    'ticket_trend': "case ticket_trend when 'declining' then 'decreasing' else ticket_trend end",
    'funding_in_last_year':
        "case when has_funding_in_last_year then 'funded' else 'not_funded' end",
    'exec_sponsor_engagement':
        "case when not has_exec_sponsor then 'none'"
        ~ " when days_since_last_qbr < exec_sponsor_active_days.active_max_days_since_qbr"
        ~ " then 'active' else 'moderate' end",
} %}

item_values as (

    {%- for item, expression in numeric_items.items() %}

        select
            account_id,
            as_of_date,
            '{{ item }}' as item,
            cast({{ expression }} as {{ type_decimal() }}) as item_value,
            cast(null as {{ dbt.type_string() }}) as item_label
        from inputs
        union all
    {%- endfor %}
    {%- for item, expression in label_items.items() %}

        select
            inputs.account_id,
            inputs.as_of_date,
            '{{ item }}' as item,
            cast(null as {{ type_decimal() }}) as item_value,
            cast({{ expression }} as {{ dbt.type_string() }}) as item_label
        from inputs
        cross join exec_sponsor_active_days
        {{ 'union all' if not loop.last }}
    {%- endfor %}

),

item_definitions as (

    select distinct
        component,
        component_max_points,
        item,
        item_max_points

    from items

),

bands_matched as (

    select
        item_values.account_id,
        item_values.as_of_date,
        item_values.item,
        item_values.item_value,
        item_values.item_label,
        items.band_label,
        items.points

    from item_values
    left join items
        on
            item_values.item = items.item
            and (
                (item_values.item_label is not null and item_values.item_label = items.band_label)
                or (
                    item_values.item_label is null
                    and item_values.item_value is not null
                    and (items.min_value is null or item_values.item_value >= items.min_value)
                    and (items.max_value is null or item_values.item_value < items.max_value)
                )
            )

),

final as (

    select
        bands_matched.account_id,
        bands_matched.as_of_date,
        cast(item_definitions.component as {{ dbt.type_string() }}) as component,
        item_definitions.component_max_points,
        cast(bands_matched.item as {{ dbt.type_string() }}) as item,
        item_definitions.item_max_points,
        bands_matched.item_value,
        bands_matched.item_label,
        cast(bands_matched.band_label as {{ dbt.type_string() }}) as band_label,
        bands_matched.item_value is null and bands_matched.item_label is null as is_missing,
        coalesce(bands_matched.points, 0) as points_earned

    from bands_matched
    inner join item_definitions
        on bands_matched.item = item_definitions.item

)

select * from final
