"""The sheet-extent scan looks for cell references with numpy before it tries its pattern: the
places it finds must include every place the pattern matches, for any reference text."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from csi.survey.scan import _extent_pattern, _references

# pieces of sheet XML, among them references of one to four letters and rows of many digits
PIECES = st.lists(st.one_of(
    st.sampled_from([b'<row r="', b'<c r="', b'" s="1">', b"<v>1</v></c>", b"</row>", b'r="', b'"/>', b"<t>r=\"</t>"]),
    st.from_regex(rb"\A[A-Z]{1,4}[0-9]{1,7}\Z", fullmatch=True).map(lambda ref: b'<c r="' + ref + b'"'),
    st.from_regex(rb"\A[1-9][0-9]{0,7}\Z", fullmatch=True).map(lambda n: b'<row r="' + n + b'"'),
    st.from_regex(rb"\A[A-Z]{1,4}[0-9]{1,7}\Z", fullmatch=True),
    st.binary(max_size=6),
), max_size=40)


@settings(max_examples=400, deadline=None)
@given(PIECES, st.integers(0, 20_000), st.integers(0, 200_000))
def test_every_pattern_match_is_a_reference_found(pieces, column, row):
    buf = b"".join(pieces)
    pattern, _ = _extent_pattern(column, row)
    found = set(_references(buf, len(buf), column))
    matches = {m.start() for m in (pattern.match(buf, i) for i in range(len(buf))) if m}
    assert matches <= found, (buf, column, row, sorted(matches - found))


def test_references_past_a_column_and_row_numbers():
    xml = b'<row r="5"><c r="A5"/><c r="BA5"><v>1</v></c><c r="AZ7"/><c r="XFD9"/></row>'
    assert _references(xml, len(xml), 52) == [m.start() for m in re.finditer(rb'r="(?:5"|BA5|XFD9)', xml)]
    assert len(_references(xml, len(xml), 0)) == xml.count(b'r="')
