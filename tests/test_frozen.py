"""Reports cross between processes by pickle (a `--jobs N` batch): each comes back equal, as
immutable as it went, with the same fields set, and copies stay independent."""

from __future__ import annotations

import copy
import pickle

import pytest
from conftest import EXAMPLES
from pydantic import ValidationError

from govcheck.checker import Checker
from govcheck.report import FileError, Report


@pytest.mark.parametrize("name", ["ngss.yaml", "harbour-ticketing.yaml", "real/ajax.yaml"])
def test_a_report_comes_back_from_pickle_as_it_went(checker: Checker, name: str) -> None:
    report = checker.check_path(EXAMPLES / name)
    assert isinstance(report, Report)
    back = pickle.loads(pickle.dumps(report))
    assert back == report and type(back) is Report
    assert back.model_dump(exclude_unset=True) == report.model_dump(exclude_unset=True)
    assert back.model_dump_json() == report.model_dump_json()
    assert back.findings[0].location.model_fields_set == report.findings[0].location.model_fields_set
    with pytest.raises(ValidationError, match="frozen"):
        back.findings[0].location.line = 1  # type: ignore[misc]


def test_a_file_error_comes_back_from_pickle_and_copies_are_independent() -> None:
    error = FileError(source="a.yaml", message="bad", line=3, text="a.yaml:3: bad")
    back = pickle.loads(pickle.dumps(error))
    assert back == error and back.model_fields_set == error.model_fields_set
    assert "column" not in back.model_fields_set
    changed = back.model_copy(update={"line": 4})
    assert back.line == 3 and changed.line == 4 and copy.deepcopy(back) == back
