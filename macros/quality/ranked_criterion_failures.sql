{#
    Per scope, the gate criteria that the rows of `relation` fail, ranked:
    scope, criterion, failed_accounts, failure_rank (1 = failed by the most
    rows; ties go to the criterion listed first). `relation` holds a `scope`
    column and a boolean `passes_<criterion>` per criterion; criteria no row
    fails are left out.
#}
{% macro ranked_criterion_failures(relation, criteria) -%}
    select
        scope,
        criterion,
        failed_accounts,
        row_number() over (
            partition by scope order by failed_accounts desc, criterion_order asc
        ) as failure_rank
    from (
        {%- for criterion in criteria %}
        select
            scope,
            '{{ criterion }}' as criterion,
            {{ loop.index }} as criterion_order,
            sum(case when passes_{{ criterion }} then 0 else 1 end) as failed_accounts
        from {{ relation }}
        group by scope
        {{- '\n        union all' if not loop.last }}
        {%- endfor %}
    ) as criterion_failures
    where failed_accounts > 0
{%- endmacro %}
