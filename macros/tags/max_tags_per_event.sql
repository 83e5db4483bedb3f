{#
    The most ';'-separated tags int_event_tags reads from one support ticket
    or CRM activity; the singular test
    assert_no_event_carries_more_tags_than_are_read fails on an event with
    more, so none is dropped silently.
#}
{% macro max_tags_per_event() -%}
    {{ return(100) }}
{%- endmacro %}
