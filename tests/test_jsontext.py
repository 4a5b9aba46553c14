"""The JSON encoder writes what json.dumps(indent=2, ensure_ascii=False) writes, byte for byte."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from govcheck.formats.jsontext import dumps, indented


def _reference(value: Any, sort_keys: bool = False) -> str:
    return json.dumps(value, indent=2, ensure_ascii=False, sort_keys=sort_keys)


scalars = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**70), max_value=2**70)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text()
)
documents = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=25,
)


@settings(max_examples=400, deadline=None)
@given(documents, st.booleans())
def test_any_document_is_written_as_json_dumps_writes_it(value: Any, sort_keys: bool) -> None:
    assert dumps(value, sort_keys=sort_keys) == _reference(value, sort_keys)


@pytest.mark.parametrize(
    "value",
    [
        1e-05,  # orjson would write 0.00001
        [1.5e-7, {"share": 0.0001}],
        2**64,  # beyond orjson's integers
        {1: "a", None: "b"},  # keys that are not text
        "lone \ud800 surrogate",
        "text with 0.00001 in it",
        {"controls": "\x00\x1f\t\n\x7f\x85\u2028", "é": "😀"},
        (1, 2.5, -0.0, 1e16, 1e300),
    ],
)
def test_values_orjson_writes_differently_are_written_as_json_dumps_writes_them(value: Any) -> None:
    assert dumps(value) == _reference(value)


def test_what_json_dumps_refuses_is_still_refused() -> None:
    with pytest.raises(TypeError):
        dumps({"when": dt.date(2024, 1, 1)})


def test_a_number_that_is_not_finite_is_written_null_not_invalid_json() -> None:
    assert json.loads(dumps([float("nan"), float("inf")])) == [None, None]


@pytest.mark.parametrize(
    ("text", "written"),
    [("£5\x7f", "£5\\u007f"), ("£5\x85", "£5\\u0085"), ("\x80£\x9f", "\\u0080£\\u009f"), ("£ é", "£ é")],
)
def test_del_and_each_c1_control_are_escaped_alone_or_together(text: str, written: str) -> None:
    assert indented([text], 0) == f'[\n  "{written}"\n]'


def test_indented_escapes_del_and_c1_and_sits_at_its_level() -> None:
    text = indented({"a": ["x\x7f\x9b"]}, 2)
    assert text == '{\n      "a": [\n        "x\\u007f\\u009b"\n      ]\n    }'
    assert json.loads(text) == {"a": ["x\x7f\x9b"]}
