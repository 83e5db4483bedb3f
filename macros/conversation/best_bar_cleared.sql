{#
    For each row of `measured` (a relation with `metric` and `value_column`),
    the benchmark bars it clears, ranked: bar_rank = 1 is the best-ranked
    rating it earns (macro satisfies_comparison). `bars` is one relation or a
    list of relations, each with metric, rating, rating_rank, comparison and
    threshold_value (seeds.company_benchmarks, seeds.playbook_benchmarks); a
    list is read as their union. `keys` are the columns that identify a
    measured row, metric included. Use it as the body of a CTE and keep
    bar_rank = 1.
#}
{% macro best_bar_cleared(measured, keys, value_column, bars) -%}
    {%- set bar_relations = [bars] if bars is string else bars -%}
    select
        {%- for key in keys %}
        {{ measured }}.{{ key }},
        {%- endfor %}
        bars.rating,
        bars.threshold_value,
        row_number() over (
            partition by
                {%- for key in keys %}
                {{ measured }}.{{ key }}{{ "," if not loop.last }}
                {%- endfor %}
            order by bars.rating_rank
        ) as bar_rank
    from {{ measured }}
    inner join (
        {%- for relation in bar_relations %}
        select
            metric,
            rating,
            rating_rank,
            comparison,
            threshold_value
        from {{ relation }}
        {%- if not loop.last %}
        union all
        {%- endif %}
        {%- endfor %}
    ) as bars
        on
            {{ measured }}.metric = bars.metric
            and {{ satisfies_comparison(
                'bars.comparison', measured ~ '.' ~ value_column, 'bars.threshold_value'
            ) }}
{%- endmacro %}
