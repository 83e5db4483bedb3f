{#
    Business days (Monday to Friday, no holidays) between two dates or
    timestamps: the number of weekdays d with start < d <= end, on the date
    parts. Friday -> next Thursday = 4; Friday -> Monday = 1; Saturday ->
    Sunday = 0; start = end = 0; negative when end is before start.

    Closed form, no date spine: weekdays_through(d) counts the weekdays from
    a fixed Monday (1900-01-01) to d included - 5 per full week plus
    least(day of week + 1, 5) - and the result is the difference of the two
    counts. Only dbt.datediff, floor and least, so it runs on DuckDB, Spark
    and Postgres alike. Dates before 1900-01-01 are not supported.
#}
{% macro business_days_between(start_date, end_date) -%}
    ({{ weekdays_through(end_date) }} - {{ weekdays_through(start_date) }})
{%- endmacro %}

{% macro weekdays_through(date_expression) -%}
    {%- set days_since_monday_epoch = dbt.datediff(
        "cast('1900-01-01' as date)", "cast(" ~ date_expression ~ " as date)", "day"
    ) -%}
    (
        5 * cast(floor(({{ days_since_monday_epoch }}) / 7.0) as {{ dbt.type_bigint() }})
        + least(
            ({{ days_since_monday_epoch }})
            - 7 * cast(floor(({{ days_since_monday_epoch }}) / 7.0) as {{ dbt.type_bigint() }})
            + 1,
            5
        )
    )
{%- endmacro %}
