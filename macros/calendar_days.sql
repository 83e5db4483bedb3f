{#
    Every calendar day from `first_day` to `last_day` (both included) of a
    one-row relation, as one column `date_column`: a portable day spine
    (integers_from_zero, dbt.dateadd; up to 100,000 days). Use it as the body
    of a CTE:
    `calendar as ({{ calendar_days('bounds', 'first_day', 'last_day', 'usage_date') }})`.
#}
{% macro calendar_days(bounds_relation, first_day, last_day, date_column) -%}
    select
        cast({{ dbt.dateadd('day', 'integers.n', bounds_relation ~ '.' ~ first_day) }} as date)
            as {{ date_column }}
    from ({{ integers_from_zero(100000) }}) as integers
    cross join {{ bounds_relation }}
    where
        integers.n
        <= {{ dbt.datediff(
            bounds_relation ~ '.' ~ first_day, bounds_relation ~ '.' ~ last_day, 'day'
        ) }}
{%- endmacro %}
