{#
    Both band verdicts of a value, as two columns: `<name>_warn_band` and
    `<name>_error_band` (macro band_position) - the pair every calibration
    mart publishes for the Great Expectations calibration suite.
#}
{% macro band_positions(value, bounds, name) -%}
    {{ band_position(value, bounds, 'warn') }} as {{ name }}_warn_band,
    {{ band_position(value, bounds, 'error') }} as {{ name }}_error_band
{%- endmacro %}
