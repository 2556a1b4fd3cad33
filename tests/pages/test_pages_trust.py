"""What the pages say about trust: outcomes, rules, tiny segments, weak structure, small models,
glossary tooltips, the scatter's first view, and no command-line flag in any message."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pytest

from segmentation import Settings, load, segment
from segmentation.io.synthetic import customers_to_csv_bytes, generate_customers
from segmentation.reuse.modelfile import model_bytes
from tests.pages.apptest import goto, open_app, shown, upload
from ui.keys import KEEP_EXTREMES

FLAG = re.compile(r"(?<![\w-])--[a-z][a-z-]+|(?<![\w-])-k\b")


def _page_text(at) -> str:
    parts = [e.value for e in (*at.markdown, *at.caption, *at.warning, *at.info, *at.success, *at.error)]
    return shown(" ".join(str(p) for p in parts))


def _churn_csv() -> bytes:
    """Two groups apart on spend; one churns five times as often; one tiny cluster far out."""
    rng = np.random.default_rng(0)
    n = 500
    high = np.arange(n) < 200
    frame = pd.DataFrame(
        {
            "spend": np.where(high, rng.normal(100, 5, n), rng.normal(20, 5, n)).round(1),
            "visits": np.where(high, rng.normal(5, 1, n), rng.normal(15, 1, n)).round(1),
            "age": rng.integers(20, 70, n),
            "Churn": np.where(rng.random(n) < np.where(high, 0.5, 0.1), "Yes", "No"),
            "churn_probability": np.where(high, 0.5, 0.1),
        }
    )
    return frame.to_csv(index=False).encode()


@pytest.fixture(scope="module")
def churn_segments():
    at = goto(upload(open_app(), "churn.csv", _churn_csv()), "pages/segments.py")
    at.slider(key="k").set_value(2).run()
    assert not at.exception
    return at


def test_segments_page_shows_outcome_rates_overall_and_lift(churn_segments) -> None:
    at = churn_segments
    [table] = [d.value for d in at.dataframe if "Churn: share of Yes (lift)" in d.value.columns]
    seg = segment(load(_churn_csv()), Settings(n_clusters=2))
    expected = seg.profiles.outcome_rates.table()
    assert list(table.index) == ["1", "2", "all customers"]
    assert table["Churn: share of Yes"].tolist() == pytest.approx(expected["Churn: share of Yes"].tolist())
    assert table["Churn: share of Yes (lift)"].tolist() == pytest.approx(
        expected["Churn: share of Yes (lift)"].tolist()
    )
    assert "Outcomes per segment" in [h.value for h in at.subheader]


def test_segments_page_shows_the_rules_and_their_agreement(churn_segments) -> None:
    at = churn_segments
    [rules] = [d.value for d in at.dataframe if "rule" in d.value.columns]
    seg = segment(load(_churn_csv()), Settings(n_clusters=2))
    assert rules["rule"].tolist() == [r.text for r in seg.profiles.rules.rules]
    assert list(rules.index) == [1, 2]
    assert seg.profiles.rules.agreement_text() in _page_text(at)


def test_the_scatter_opens_on_the_features_that_separate_most(churn_segments) -> None:
    at = churn_segments
    seg = segment(load(_churn_csv()), Settings(n_clusters=2))
    assert [at.selectbox(key="scatter_x").value, at.selectbox(key="scatter_y").value] == (
        seg.profiles.separating_features(seg.selection.numeric)
    )
    assert "age" not in (at.selectbox(key="scatter_x").value, at.selectbox(key="scatter_y").value)


def test_the_derived_column_is_left_out_and_no_flag_is_named(churn_segments) -> None:
    at = churn_segments
    means = next(d.value for d in at.dataframe if {"name", "size", "share"} <= set(d.value.columns))
    assert "churn_probability" not in means.columns
    assert not FLAG.search(_page_text(at)), FLAG.findall(_page_text(at))


def test_a_tiny_segment_is_flagged_with_what_to_try() -> None:
    rng = np.random.default_rng(1)
    points = np.vstack([rng.normal(0, 1, (500, 2)), rng.normal(8, 0.2, (8, 2))])
    csv = pd.DataFrame(points, columns=["a", "b"]).round(3).to_csv(index=False).encode()
    at = upload(open_app(), "tiny.csv", csv)
    at.session_state[KEEP_EXTREMES] = True  # the Data page's switch: the far cluster stays in the fit
    at = goto(at, "pages/segments.py")
    at.slider(key="k").set_value(3).run()
    warnings = " ".join(shown(w.value) for w in at.warning)
    assert "is tiny: 8 of 508 customers (1.6%)" in warnings
    assert "Try fewer segments" in warnings and "Data" in warnings
    assert not FLAG.search(warnings)


def test_a_continuum_is_called_one_on_segments_and_choose_k() -> None:
    rng = np.random.default_rng(2)
    csv = pd.DataFrame(rng.uniform(0, 1, (400, 5)), columns=list("abcde")).round(4).to_csv(index=False)
    at = upload(open_app(), "uniform.csv", csv.encode())
    at = goto(at, "pages/segments.py")
    assert "continuum" in " ".join(shown(i.value) for i in at.info)
    at = goto(at, "pages/choose_k.py")
    at.slider(key="k_range").set_value((2, 5)).run()
    at.button[0].click().run()
    assert not at.exception
    assert "continuum" in " ".join(shown(w.value) for w in at.warning)


def test_clear_groups_get_no_continuum_message(churn_segments) -> None:
    assert "continuum" not in " ".join(shown(i.value) for i in churn_segments.info)


def test_score_page_warns_about_a_model_trained_on_few_customers() -> None:
    run = segment(load(customers_to_csv_bytes(generate_customers(300, seed=8))), Settings(n_clusters=3))
    at = goto(open_app(), "pages/score.py")
    at.file_uploader(key="score_model").upload("m.skops", model_bytes(run), "application/octet-stream").run()
    assert "trained on only 300 customers" in " ".join(shown(w.value) for w in at.warning)


def test_score_page_does_not_warn_about_a_large_model() -> None:
    run = segment(load(customers_to_csv_bytes(generate_customers(1200, seed=8))), Settings(n_clusters=3))
    at = goto(open_app(), "pages/score.py")
    at.file_uploader(key="score_model").upload("m.skops", model_bytes(run), "application/octet-stream").run()
    assert not any("trained on only" in w.value for w in at.warning)


def test_the_data_page_gives_the_reason_and_its_choice_puts_the_column_back() -> None:
    at = upload(open_app(), "churn.csv", _churn_csv())
    [left_out] = [d.value for d in at.dataframe if "reason" in d.value.columns]
    reasons = dict(zip(left_out["column"], left_out["reason"], strict=True))
    assert reasons["churn_probability"].startswith("derived from the outcome Churn")
    features = next(m for m in at.multiselect if m.label == "Columns that describe a customer")
    assert "churn_probability" not in features.value
    features.set_value([*features.value, "churn_probability"]).run()
    at = goto(at, "pages/segments.py")
    means = next(d.value for d in at.dataframe if {"name", "size", "share"} <= set(d.value.columns))
    assert "churn_probability" in means.columns
