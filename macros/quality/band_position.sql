{#
    Where `value` lies against one band of a calibration_bounds row: 'below'
    its minimum, 'above' its maximum, else 'inside'; null when the value is
    null. A blank bound is no bound on that side. The one home of the
    calibration band verdict: dbt quarantines on it and the Great
    Expectations calibration suite reports it.
#}
{% macro band_position(value, bounds, band) -%}
    {%- set band_columns = {'warn': ('warn_min', 'warn_max'), 'error': ('error_min', 'error_max')} %}
    {%- if band not in band_columns %}
        {{ exceptions.raise_compiler_error(
            "band_position: band must be warn or error, not " ~ band
        ) }}
    {%- endif %}
    {%- set min_column, max_column = band_columns[band] -%}
    cast(
        case
            when {{ value }} < {{ bounds }}.{{ min_column }} then 'below'
            when {{ value }} > {{ bounds }}.{{ max_column }} then 'above'
            when {{ value }} is not null then 'inside'
        end as {{ dbt.type_string() }}
    )
{%- endmacro %}
