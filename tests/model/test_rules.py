"""Rules in plain words: generated clusters whose rules are known come back as those rules."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pytest

from segmentation import load
from segmentation.model.analysis import Settings, segment
from segmentation.model.rules import NO_RULE, SegmentRules, roundest_between, segment_rules


def _known_boxes(n_per: int = 150, seed: int = 0) -> bytes:
    """Four groups split at income 50 and spend 40: the rules are those two thresholds."""
    rng = np.random.default_rng(seed)
    parts = []
    for income, spend in [(20, 10), (80, 10), (20, 70), (80, 70)]:
        parts.append(
            pd.DataFrame(
                {"Income": rng.uniform(income - 15, income + 15, n_per).round(1),
                 "Spend": rng.uniform(spend - 8, spend + 8, n_per).round(1)}
            )
        )  # fmt: skip
    return pd.concat(parts, ignore_index=True).to_csv(index=False).encode()


@pytest.fixture(scope="module")
def boxes():
    return segment(load(_known_boxes()), Settings(n_clusters=4))


def _bounds(text: str) -> list[tuple[str, str, float]]:
    return [
        (c, op, float(v.replace(",", "")))
        for c, op, v in re.findall(r"(Income|Spend) ([>≤]) ([\d.,]+)", text)
    ]


def test_known_rules_come_back(boxes) -> None:
    rules = boxes.profiles.rules
    assert rules.agreement == 1.0
    for rule in rules.rules:
        assert rule.coverage == 1.0 and rule.precision == 1.0
        for column, _, value in _bounds(rule.text):
            # any threshold between the groups splits them; the roundest one is chosen
            assert (35 < value < 65) if column == "Income" else (18 < value < 62)
        assert len(_bounds(rule.text)) == 2


def test_rules_hold_by_the_numbers(boxes) -> None:
    """Evaluating each rule's words on the file gives back its coverage and precision."""
    frame = pd.read_csv(pd.io.common.BytesIO(_known_boxes()))
    segments = boxes.result.segments
    for rule in boxes.profiles.rules.rules:
        matched = np.ones(len(frame), dtype=bool)
        for column, op, value in _bounds(rule.text):
            matched &= frame[column].to_numpy() > value if op == ">" else frame[column].to_numpy() <= value
        members = segments == rule.segment
        assert (matched & members).sum() / members.sum() == pytest.approx(rule.coverage)
        assert (matched & members).sum() / matched.sum() == pytest.approx(rule.precision)


def test_agreement_is_the_share_the_rules_classify_right() -> None:
    """A continuum cut into 6 slices by two features: depth 3 cannot say it all, agreement says how much."""
    rng = np.random.default_rng(1)
    frame = pd.DataFrame(rng.normal(size=(600, 3)), columns=["a", "b", "c"])
    seg = segment(load(frame.to_csv(index=False).encode()), Settings(n_clusters=6))
    rules = seg.profiles.rules
    assert 0.3 < rules.agreement < 1.0
    assert rules.n_rows == 600
    assert len(rules.rules) == 6
    for rule in rules.rules:
        assert rule.text == NO_RULE or (0 < rule.coverage <= 1 and 0 < rule.precision <= 1)


def test_categories_read_is_and_is_not() -> None:
    rng = np.random.default_rng(2)
    n = 300
    plan = np.where(np.arange(n) < 150, "gold", "basic")
    frame = pd.DataFrame({"plan": plan, "visits": rng.integers(0, 5, n) + np.where(plan == "gold", 0, 0)})
    seg = segment(load(frame.to_csv(index=False).encode()), Settings(n_clusters=2))
    texts = [r.text for r in seg.profiles.rules.rules]
    assert any("plan is" in t for t in texts) and any("plan is not" in t for t in texts)
    assert seg.profiles.rules.agreement == 1.0


def test_round_thresholds() -> None:
    assert roundest_between(69, 70) == 69
    assert roundest_between(61.2, 78.9) == 70
    assert roundest_between(0.0312, 0.0388) == pytest.approx(0.038)
    assert roundest_between(1234.5, 1299) == 1290
    assert roundest_between(-7.5, -2.1) == -3  # the largest round number below the upper value
    assert roundest_between(5, 5) == 5


def test_round_trip_for_the_manifest(boxes) -> None:
    rules = boxes.profiles.rules
    assert SegmentRules.from_dict(rules.to_dict()) == rules
    table = rules.table()
    assert list(table.index) == [1, 2, 3, 4] and list(table.columns) == ["rule", "coverage", "precision"]


def test_mall_income_and_spending_agree_at_95_percent() -> None:
    from pathlib import Path

    path = Path(__file__).resolve().parents[3] / "shared" / "datasets" / "Mall_Customers.csv"
    if not path.is_file():
        pytest.skip(f"{path} not found (real CSVs live beside the checkout)")
    seg = segment(
        load(path), Settings(n_clusters=5, features=("Annual Income (k$)", "Spending Score (1-100)"))
    )
    assert seg.profiles.rules.agreement >= 0.95
    fit = seg.data.for_fit()
    again = segment_rules(fit, seg.result.segments[fit.usable])
    assert again == seg.profiles.rules  # profiles use the same deterministic tree
