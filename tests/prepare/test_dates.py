"""Tests for segmentation.prepare.dates: the layouts exports use, day/month evidence, failures."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from segmentation.prepare.dates import looks_like_dates, parse_dates


def day(text: str) -> np.datetime64:
    return np.datetime64(text, "ns")


@pytest.mark.parametrize(
    ("cells", "expected"),
    [
        (["2017-02-11", "2017-12-31"], ["2017-02-11", "2017-12-31"]),
        (["2017-02-11 10:11:12", "2017-02-11T08:00"], ["2017-02-11T10:11:12", "2017-02-11T08:00"]),
        (["2017-02-11T10:11:12.5Z"], ["2017-02-11T10:11:12"]),
        (["11-Feb-17", "1-Dec-03"], ["2017-02-11", "2003-12-01"]),
        (["2/24/2003 0:00", "5/7/2003 13:05"], ["2003-02-24", "2003-05-07T13:05"]),
        (["02/04/22", "13/04/22"], ["2022-04-02", "2022-04-13"]),
        (["24.02.2003", "01.03.2003"], ["2003-02-24", "2003-03-01"]),
        (["04-09-2012", "21-08-2013"], ["2012-09-04", "2013-08-21"]),
    ],
)
def test_layouts_exports_use(cells: list[str], expected: list[str]) -> None:
    parsed = parse_dates(pd.Series(cells))
    assert parsed.n_failed == 0
    assert list(parsed.values) == [day(e) for e in expected]


def test_day_first_is_decided_by_evidence_and_reported() -> None:
    day_first = parse_dates(pd.Series(["02/04/22", "13/04/22"]))
    assert day_first.day_first is True and not day_first.ambiguous
    month_first = parse_dates(pd.Series(["02/04/22", "04/13/22"]))
    assert month_first.day_first is False and not month_first.ambiguous
    unsure = parse_dates(pd.Series(["02/04/22", "03/04/22"]))
    assert unsure.ambiguous and "cannot be told apart" in unsure.describe()
    forced = parse_dates(pd.Series(["02/04/22"]), day_first=True)
    assert forced.values[0] == day("2022-04-02") and not forced.ambiguous


def test_two_digit_year_is_not_read_as_year_22() -> None:
    parsed = parse_dates(pd.Series(["02/04/22", "1/2/2003"]))
    read = parsed.values[~np.isnat(parsed.values)]
    assert len(read) == 1 and parsed.n_failed == 1
    assert read.astype("datetime64[Y]").astype(int)[0] + 1970 > 1900


def test_failures_and_empty_cells_are_counted() -> None:
    parsed = parse_dates(pd.Series(["2017-02-11", "", None, "soon", "2017-02-30"]))
    assert parsed.n_empty == 2
    assert parsed.n_failed == 2
    assert set(parsed.failed_examples) == {"soon", "2017-02-30"}
    assert np.isnat(parsed.values[1:]).all()


def test_no_layout() -> None:
    parsed = parse_dates(pd.Series(["a", "b"]))
    assert parsed.layout is None and parsed.n_failed == 2


def test_looks_like_dates() -> None:
    assert looks_like_dates(pd.Series(["2/24/2003 0:00"] * 10 + [""]))
    assert not looks_like_dates(pd.Series(["12.5", "3"]))
    assert not looks_like_dates(pd.Series(["", None]))


def test_a_million_cells_parse() -> None:
    """How fast is measured by make bench (the order-lines stage), not asserted here."""
    dates = pd.date_range("2020-01-01", periods=1000).strftime("%m/%d/%Y 0:00")
    cells = pd.Series(np.tile(dates, 1000), dtype="string[pyarrow]")
    parsed = parse_dates(cells)
    assert parsed.n_failed == 0 and parsed.day_first is False
