{#
    The placeholders a talk track template (seeds.talk_tracks) may use, each
    written `{name}` in the text. A model that fills templates selects one
    column per placeholder, of the same name, already formatted as text (macro
    talk_track_values), and wraps each template column in fill_talk_track.
#}
{% macro talk_track_placeholders() -%}
    {{ return([
        'contact_name', 'account_name', 'seat_use', 'usage_trend', 'health_score',
        'renewal_date', 'signal', 'threshold', 'window_length', 'motion', 'estimated_acv',
        'owner', 'due_date',
    ]) }}
{%- endmacro %}


{#
    The placeholders a QBR agenda template (seeds.qbr_agenda_items) may use;
    qbr_agendas selects one text column per placeholder.
#}
{% macro qbr_agenda_placeholders() -%}
    {{ return([
        'health_score', 'health_band', 'seat_use', 'signal', 'more_signals', 'heads_up',
        'product_family', 'whitespace_score', 'motion', 'estimated_acv', 'failed_criteria',
    ]) }}
{%- endmacro %}


{#
    `template` (a SQL expression) with every `{placeholder}` replaced by the
    column of that name of `values_relation`: nested replace(), portable to
    every engine. A placeholder whose value is null becomes ''. An unknown
    placeholder is left as written (tests/conversation/test_talk_tracks.py
    fails on it). `placeholders` defaults to the talk tracks'; the QBR agenda
    (qbr_agendas) passes its own.
#}
{% macro fill_talk_track(template, values_relation, placeholders=none) -%}
    {%- set placeholders = placeholders or talk_track_placeholders() -%}
    {%- for placeholder in placeholders %}replace({% endfor -%}
    {{ template }}
    {%- for placeholder in placeholders -%}
        , '{{ "{" ~ placeholder ~ "}" }}', coalesce({{ values_relation }}.{{ placeholder }}, ''))
    {%- endfor -%}
{%- endmacro %}


{#- A ratio as a whole percentage ('92%'); null stays null. -#}
{% macro format_percent(value) -%}
    {{ dbt.concat([
        'cast(cast(round((' ~ value ~ ') * 100, 0) as bigint) as ' ~ dbt.type_string() ~ ')',
        "'%'",
    ]) }}
{%- endmacro %}


{#- A change ratio with its sign ('+12%', '-30%'); null stays null. -#}
{% macro format_signed_percent(value) -%}
    {{ dbt.concat([
        "case when round((" ~ value ~ ") * 100, 0) > 0 then '+' else '' end",
        format_percent(value),
    ]) }}
{%- endmacro %}


{#- A count or a multiple as text: whole numbers without decimals, else one decimal. -#}
{% macro format_number(value) -%}
    case
        when round(({{ value }}), 0) = ({{ value }})
            then cast(cast(({{ value }}) as bigint) as {{ dbt.type_string() }})
        else cast(cast(round(({{ value }}), 1) as decimal(18, 1)) as {{ dbt.type_string() }})
    end
{%- endmacro %}


{#- US dollars for people: whole dollars below $1,000 ('$809'), else thousands with one decimal ('$12.3K'). -#}
{% macro format_usd_thousands(value) -%}
    case
        when ({{ value }}) < 1000
            then {{ dbt.concat([
                "'$'",
                'cast(cast(round(' ~ value ~ ', 0) as bigint) as ' ~ dbt.type_string() ~ ')',
            ]) }}
        else {{ dbt.concat([
            "'$'",
            'cast(cast(round((' ~ value ~ ') / 1000.0, 1) as decimal(18, 1)) as ' ~ dbt.type_string() ~ ')',
            "'K'",
        ]) }}
    end
{%- endmacro %}


{#-
    A trigger's signal or threshold in its registry unit: ratios and growth
    ratios (threshold_unit 'ratio...' or '..._ratio') as percentages, anything
    else as a number.
-#}
{% macro format_signal(value, unit) -%}
    case
        when {{ unit }} like 'ratio%' or {{ unit }} like '%_ratio' then {{ format_percent(value) }}
        else {{ format_number(value) }}
    end
{%- endmacro %}
