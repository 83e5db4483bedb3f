{#
    For each row of `measured` (a relation with `metric` and `value_column`),
    the benchmark bars of `bars` (metric, rating, rating_rank, comparison,
    threshold_value: seeds.company_benchmarks / seeds.playbook_benchmarks)
    its value clears, ranked: bar_rank = 1 is the best-ranked rating it earns
    (macro satisfies_comparison). `keys` are the columns that identify a
    measured row, metric included. Use it as the body of a CTE and keep
    bar_rank = 1.
#}
{% macro best_bar_cleared(measured, keys, value_column, bars) -%}
    select
        {%- for key in keys %}
        {{ measured }}.{{ key }},
        {%- endfor %}
        {{ bars }}.rating,
        {{ bars }}.threshold_value,
        row_number() over (
            partition by
                {%- for key in keys %}
                {{ measured }}.{{ key }}{{ "," if not loop.last }}
                {%- endfor %}
            order by {{ bars }}.rating_rank
        ) as bar_rank
    from {{ measured }}
    inner join {{ bars }}
        on
            {{ measured }}.metric = {{ bars }}.metric
            and {{ satisfies_comparison(
                bars ~ '.comparison', measured ~ '.' ~ value_column, bars ~ '.threshold_value'
            ) }}
{%- endmacro %}
