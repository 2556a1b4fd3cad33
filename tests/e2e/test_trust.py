"""End to end: a churn export with a leaked classifier score; the Segments page shows the churn rate
per segment with its lift, and each segment's rule, as a person sees them in the browser."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from playwright.sync_api import Page, expect

from segmentation import Settings, load, segment
from tests.e2e.conftest import wait_for_app
from tests.e2e.test_dashboard import HEADER, SLOW, UI, assert_no_crash, go_to, grid_headers, open_app, upload


def _churn_frame() -> pd.DataFrame:
    rng = np.random.default_rng(5)
    n = 600
    high = np.arange(n) < 240
    churned = rng.random(n) < np.where(high, 0.55, 0.08)
    return pd.DataFrame(
        {
            "Spend": np.where(high, rng.normal(120, 8, n), rng.normal(30, 8, n)).round(1),
            "Visits": np.where(high, rng.normal(4, 1, n), rng.normal(14, 1, n)).round(1),
            "Attrition_Flag": np.where(churned, "Attrited Customer", "Existing Customer"),
            "Naive_Bayes_Classifier_Attrition_Flag_1": np.where(churned, 0.99, 0.01),
        }
    )


@pytest.fixture(scope="module")
def churn_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("uploads") / "churn_export.csv"
    _churn_frame().to_csv(path, index=False)
    return path


def _grid(page: Page, header: str):
    frame = page.get_by_test_id("stDataFrame").filter(
        has=page.locator(HEADER).filter(has_text=re.compile(rf"^\s*{re.escape(header)}\s*$"))
    )
    expect(frame).to_be_visible(timeout=SLOW)
    grid = frame.locator("table[role='grid']")
    expect(grid.locator(HEADER).first).to_be_attached(timeout=SLOW)
    return grid


def _rows(grid) -> list[list[str]]:
    return [
        [c.strip() for c in row.locator("td").all_text_contents()] for row in grid.locator("tbody tr").all()
    ]


def test_outcome_rates_and_rules_on_the_segments_page(app_server: str, page: Page, churn_file: Path) -> None:
    open_app(page, app_server)
    upload(page, churn_file)
    go_to(page, "Segments")
    slider = page.get_by_test_id("stSlider").first.get_by_role("slider")
    slider.focus()
    for _ in range(3):  # 5 -> 2 segments, as a person would with the keyboard
        page.keyboard.press("ArrowLeft")
        wait_for_app(page)
    expect(page.get_by_text("Outcomes per segment")).to_be_visible(timeout=UI)
    assert_no_crash(page)

    expected = segment(load(churn_file), Settings(n_clusters=2))
    rates = expected.profiles.outcome_rates.table()

    outcomes = next(
        g for g in (page.get_by_test_id("stDataFrame").locator("table[role='grid']").all())
        if any("lift" in h for h in grid_headers(page, g))
    )  # fmt: skip
    rows = _rows(outcomes)
    assert [r[0] for r in rows] == ["1", "2", "all customers"]
    measure = "Attrition_Flag: share of Attrited Customer"
    # The grid's accessible cells hold the values (segment, name, rate, lift); the canvas draws them formatted.
    for row, segment_number in zip(rows, rates.index, strict=True):
        assert float(row[2]) == pytest.approx(rates.loc[segment_number, measure])
        assert float(row[3]) == pytest.approx(rates.loc[segment_number, f"{measure} (lift)"])

    rules = _grid(page, "rule")
    texts = [" ".join(r) for r in _rows(rules)]
    for rule, text in zip(expected.profiles.rules.rules, texts, strict=True):
        assert rule.text in text
    expect(
        page.get_by_text(re.compile(r"These rules put \d+% of the customers in their own segment"))
    ).to_be_visible()
    # The classifier's column was left out: the profiles table has no column of it.
    assert not any("Naive_Bayes" in h for h in grid_headers(page, _grid(page, "share")))
