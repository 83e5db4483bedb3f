{#
    Where `value` lies against one band of a calibration_bounds row: 'below'
    its `<band>_min`, 'above' its `<band>_max`, else 'inside'; null when the
    value is null. A blank bound is no bound on that side. The one home of
    the calibration band verdict: dbt quarantines on it and the Great
    Expectations calibration suite reports it.
#}
{% macro band_position(value, bounds, band) -%}
    cast(
        case
            when {{ value }} < {{ bounds }}.{{ band }}_min then 'below'
            when {{ value }} > {{ bounds }}.{{ band }}_max then 'above'
            when {{ value }} is not null then 'inside'
        end as {{ dbt.type_string() }}
    )
{%- endmacro %}
