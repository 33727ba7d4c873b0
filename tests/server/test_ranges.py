"""Range, If-Range and Content-Range parsing (RFC 9110) for blob downloads and uploads."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from server.ranges import (
    RangeNotSatisfiable,
    content_range,
    parse_content_range,
    parse_range,
    range_applies,
)

ETAG = '"sha256-' + "ab" * 32 + '"'
sizes = st.integers(min_value=1, max_value=10**12)


def test_no_header_serves_whole() -> None:
    assert parse_range(None, 100) is None


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("bytes=0-0", (0, 0)),
        ("bytes=0-99", (0, 99)),
        ("bytes=10-", (10, 99)),
        ("bytes=10-1000", (10, 99)),  # last-pos past the end is clamped
        ("bytes=-10", (90, 99)),
        ("bytes=-1000", (0, 99)),  # suffix longer than the representation: all of it
        ("BYTES=5-6", (5, 6)),  # the unit is case-insensitive
        (" bytes=5-6 ", (5, 6)),
        ("bytes= 5-6 ,", (5, 6)),  # OWS and an empty list element are allowed
    ],
)
def test_single_ranges(header: str, expected: tuple[int, int]) -> None:
    assert parse_range(header, 100) == expected


@pytest.mark.parametrize(
    "header",
    [
        "",
        "bytes",
        "bytes=",
        "bytes=-",
        "bytes=a-b",
        "bytes=5-4",  # last < first: an invalid range-spec
        "bytes=0-1,5-6",  # several ranges: we serve the whole thing
        "bytes=0-1, 200-300",
        "items=0-5",
        "bytes=+1-5",
        "bytes=0x1-5",
        "bytes=١-٢",  # non-ASCII digits
        "bytes 0-5",
        "bytes=" + "9" * 5000 + "-",  # too long for int(): malformed, not a crash
    ],
)
def test_malformed_or_multi_range_is_ignored(header: str) -> None:
    assert parse_range(header, 100) is None


@pytest.mark.parametrize("header", ["bytes=100-", "bytes=100-200", "bytes=-0", "bytes=1000-"])
def test_unsatisfiable(header: str) -> None:
    with pytest.raises(RangeNotSatisfiable) as info:
        parse_range(header, 100)
    assert info.value.size == 100
    assert info.value.content_range == "bytes */100"


def test_empty_representation() -> None:
    assert parse_range("bytes=-5", 0) is None
    with pytest.raises(RangeNotSatisfiable):
        parse_range("bytes=0-", 0)


def test_negative_size_is_a_bug() -> None:
    with pytest.raises(ValueError, match="negative"):
        parse_range("bytes=0-1", -1)


@given(size=sizes, data=st.data())
def test_any_satisfiable_range_is_inside(size: int, data: st.DataObject) -> None:
    first = data.draw(st.integers(min_value=0, max_value=size - 1))
    last = data.draw(st.none() | st.integers(min_value=first, max_value=2 * size))
    header = f"bytes={first}-" + ("" if last is None else str(last))
    result = parse_range(header, size)
    assert result is not None
    start, end = result
    assert 0 <= start <= end < size
    assert start == first
    expected_end = size - 1 if last is None else min(last, size - 1)
    assert end - start + 1 == expected_end - first + 1


@given(size=sizes, suffix=st.integers(min_value=1, max_value=10**13))
def test_suffix_ranges(size: int, suffix: int) -> None:
    result = parse_range(f"bytes=-{suffix}", size)
    assert result is not None
    start, end = result
    assert 0 <= start <= end == size - 1
    assert end - start + 1 == min(suffix, size)


@given(size=st.integers(min_value=0, max_value=10**12), data=st.data())
def test_ranges_starting_past_the_end_are_unsatisfiable(size: int, data: st.DataObject) -> None:
    first = data.draw(st.integers(min_value=size, max_value=size + 10**6))
    last = data.draw(st.none() | st.integers(min_value=first, max_value=first + 10**6))
    header = f"bytes={first}-" + ("" if last is None else str(last))
    with pytest.raises(RangeNotSatisfiable):
        parse_range(header, size)


@given(header=st.text(max_size=40), size=st.integers(min_value=0, max_value=10**6))
def test_arbitrary_headers_never_crash(header: str, size: int) -> None:
    try:
        result = parse_range(header, size)
    except RangeNotSatisfiable:
        return
    if result is not None:
        assert 0 <= result[0] <= result[1] < size


def test_if_range() -> None:
    assert range_applies(None, ETAG)
    assert range_applies(ETAG, ETAG)
    assert range_applies(f" {ETAG} ", ETAG)
    assert not range_applies('"sha256-' + "cd" * 32 + '"', ETAG)
    assert not range_applies("W/" + ETAG, ETAG)  # weak never matches
    assert not range_applies("Tue, 15 Nov 1994 08:12:31 GMT", ETAG)  # dates: serve whole
    assert not range_applies("W/" + ETAG, "W/" + ETAG)


def test_content_range_round_trip() -> None:
    assert content_range(0, 99, 1000) == "bytes 0-99/1000"
    assert parse_content_range("bytes 0-99/1000") == (0, 99, 1000)
    assert parse_content_range("bytes 100-199/*") == (100, 199, None)
    assert parse_content_range("Bytes 5-5/6") == (5, 5, 6)


@pytest.mark.parametrize(
    "header",
    [
        "",
        "bytes */1000",
        "bytes 0-99",
        "bytes=0-99/1000",
        "bytes 99-0/1000",
        "bytes 0-1000/1000",
        "bytes -1-5/10",
        "bytes 0-5/x",
        "items 0-5/10",
    ],
)
def test_malformed_content_range(header: str) -> None:
    with pytest.raises(ValueError):  # noqa: PT011 - the message varies by case
        parse_content_range(header)


@given(
    start=st.integers(min_value=0, max_value=10**12),
    length=st.integers(min_value=1, max_value=10**9),
    extra=st.none() | st.integers(min_value=0, max_value=10**9),
)
def test_content_range_property(start: int, length: int, extra: int | None) -> None:
    end = start + length - 1
    total = None if extra is None else end + 1 + extra
    header = f"bytes {start}-{end}/{'*' if total is None else total}"
    assert parse_content_range(header) == (start, end, total)
