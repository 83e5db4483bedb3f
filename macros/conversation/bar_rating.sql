{#
    The rating of a value against the bars it clears: 'no_data' without a
    value, the best bar's rating (best_bar_cleared, bar_rank = 1), or
    `none_cleared` when it clears none.
#}
{% macro bar_rating(value, best_rating, none_cleared) -%}
    case
        when {{ value }} is null then 'no_data'
        else coalesce({{ best_rating }}, '{{ none_cleared }}')
    end
{%- endmacro %}
