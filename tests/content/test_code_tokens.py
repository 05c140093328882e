"""Pygments spans for the code editor: offsets Qt can use, styles from the lesson's themes."""

from __future__ import annotations

from tutor.content.code_tokens import background_color, python_token_spans

SOURCE = 'def work(n):\n    # count\n    return n * 2  # "x"\n'


def span_at(spans, offset):
    return next((s for s in spans if s.start <= offset < s.end), None)


def test_keywords_names_numbers_and_comments_get_styles():
    spans = python_token_spans(SOURCE)
    keyword = span_at(spans, SOURCE.index("def"))
    function = span_at(spans, SOURCE.index("work"))
    comment = span_at(spans, SOURCE.index("# count"))
    number = span_at(spans, SOURCE.index("2  #"))
    assert keyword is not None and keyword.length == 3 and keyword.style.bold
    assert function is not None and function.style.color
    assert comment is not None and comment.style.italic
    assert comment.length == len("# count")
    assert number is not None and number.style != keyword.style
    assert len({keyword.style, function.style, comment.style, number.style}) == 4


def test_plain_names_and_blanks_get_no_span():
    spans = python_token_spans(SOURCE)
    assert span_at(spans, SOURCE.index("n * 2")) is None  # a plain name
    assert span_at(spans, SOURCE.index("    #")) is None  # indentation


def test_spans_are_sorted_and_do_not_overlap():
    spans = python_token_spans(SOURCE * 3)
    for before, after in zip(spans, spans[1:], strict=False):
        assert before.end <= after.start


def test_a_multi_line_string_is_one_styled_span_across_lines():
    source = 'x = """one\ntwo\nthree"""\ny = 1\n'
    span = span_at(python_token_spans(source), source.index("two"))
    assert span is not None
    assert span.start <= source.index('"""') and span.end >= source.index("three") + 5


def test_offsets_count_utf16_units_like_qt():
    source = "# 😀 smile\ndef work(n):\n    return n\n"
    spans = python_token_spans(source)
    comment = span_at(spans, 0)
    assert comment.length == len("# 😀 smile") + 1  # the emoji is two UTF-16 units
    keyword = span_at(spans, source.index("def") + 1)  # Qt's position of "def"
    assert keyword is not None and keyword.start == source.index("def") + 1
    assert keyword.length == 3


def test_dark_and_light_styles_differ():
    light = span_at(python_token_spans(SOURCE), 0).style
    dark = span_at(python_token_spans(SOURCE, dark=True), 0).style
    assert light != dark
    assert background_color(dark=True) != background_color(dark=False)


def test_broken_code_still_gets_spans():
    assert python_token_spans('def work(n:\n    return "unterminated\n')
    assert python_token_spans("") == []
