"""A message's addresses become links; everything else stays text, escaped."""

from __future__ import annotations

from snp_portal.entrypoints.text_links import linked


def test_an_address_on_its_own_line_is_a_link() -> None:
    text = "The newsletter:\nhttp://127.0.0.1:8000/documents/01a2-b3\nThanks"
    assert str(linked(text)) == (
        "The newsletter:\n"
        '<a class="govuk-link" href="http://127.0.0.1:8000/documents/01a2-b3" '
        'rel="noopener noreferrer">http://127.0.0.1:8000/documents/01a2-b3</a>\nThanks'
    )


def test_a_sentence_s_full_stop_stays_outside_and_markup_is_escaped() -> None:
    html = str(linked("See https://example.org/a?b=1&c=2. <script>x</script>"))
    assert 'href="https://example.org/a?b=1&amp;c=2"' in html
    assert html.endswith("</a>. &lt;script&gt;x&lt;/script&gt;")


def test_an_address_cannot_break_out_of_its_attribute() -> None:
    html = str(linked('https://example.org/"onmouseover="alert(1)'))
    assert 'onmouseover="' not in html
    assert str(linked("javascript:alert(1)")) == "javascript:alert(1)"  # text, not a link
    assert str(linked("ftp://example.org/x")) == "ftp://example.org/x"
