"""The markdown subset used for page prose."""

from expansion.dashboards.markdown import render_markdown


def test_blocks():
    html = render_markdown("# Title\n\nOne\nparagraph.\n\n- a\n- b\n\n1. first\n\n---")
    assert html == (
        "<h1>Title</h1>\n<p>One paragraph.</p>\n<ul><li>a</li><li>b</li></ul>\n"
        "<ol><li>first</li></ol>\n<hr>"
    )


def test_inline_formatting():
    html = render_markdown("**Active** *only*, from `marts.account_profiles`")
    assert html == (
        "<p><strong>Active</strong> <em>only</em>, from <code>marts.account_profiles</code></p>"
    )


def test_underscores_inside_words_are_not_emphasis():
    assert render_markdown("csm_owner and ae_owner") == "<p>csm_owner and ae_owner</p>"


def test_links_go_through_the_resolver():
    html = render_markdown("[Back](/)", resolve_href=lambda href: "index.html")
    assert html == '<p><a href="index.html">Back</a></p>'


def test_raw_html_is_escaped():
    html = render_markdown('<script>alert("x")</script> & `<b>`')
    assert html == (
        "<p>&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; &amp; <code>&lt;b&gt;</code></p>"
    )


def test_fenced_code_is_preformatted_and_escaped():
    assert render_markdown("```\na < b\n```") == "<pre><code>a &lt; b</code></pre>"
