"""Columns derived from an outcome are left out by default, by name and by content; a choice puts them back."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from segmentation.prepare.dataset import load
from segmentation.prepare.features import choose_features
from segmentation.prepare.leakage import MIN_AUC, area_under_curve, derived_columns


def _customers(n: int = 400, seed: int = 0) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    churned = rng.random(n) < 0.3
    return pd.DataFrame(
        {
            "customer_id": np.arange(1001, 1001 + n),
            "age": rng.integers(18, 80, n),
            "balance": np.round(rng.gamma(2, 500, n), 2),
            "tenure_months": rng.integers(1, 120, n),
            "Churn": np.where(churned, "Yes", "No"),
            "_churned": churned,
        }
    )


def _csv(frame: pd.DataFrame) -> bytes:
    return frame.drop(columns="_churned").to_csv(index=False).encode()


def test_a_leaked_score_is_left_out_with_its_outcome_in_the_reason() -> None:
    frame = _customers()
    rng = np.random.default_rng(1)
    # A neutral name: only its content gives it away.
    frame["segment_value"] = np.round(
        np.where(frame["_churned"], 0.9, 0.1) + rng.normal(0, 0.05, len(frame)), 3
    )
    selection = choose_features(load(_csv(frame)).columns)
    assert "segment_value" not in selection.features
    reason = selection.excluded["segment_value"]
    assert reason.startswith("derived from the outcome Churn")
    assert "AUC" in reason
    assert {"age", "balance", "tenure_months"} <= set(selection.features)


@pytest.mark.parametrize(
    "header",
    [
        "Naive_Bayes_Classifier_Churn_1",
        "churn_probability",
        "predicted_churn",
        "Churn score",
        "propensity",
        "вероятность_оттока",
        "probabilidade_cancelamento",
        "probabilidad_baja",
        "Kündigung Wahrscheinlichkeit",
        "probabilité de résiliation",
    ],
)
def test_model_outputs_are_found_by_name_in_every_language(header: str) -> None:
    frame = _customers()
    frame[header] = np.random.default_rng(2).random(len(frame)).round(3)  # says nothing: only the name
    selection = choose_features(load(_csv(frame)).columns)
    assert header not in selection.features
    assert selection.excluded[header].startswith("derived from the outcome Churn")


def test_a_spending_score_is_a_trait_not_a_leak() -> None:
    frame = _customers()
    frame["Spending Score (1-100)"] = np.random.default_rng(3).integers(1, 101, len(frame))
    frame["problems_reported"] = np.random.default_rng(4).integers(0, 5, len(frame))
    selection = choose_features(load(_csv(frame)).columns)
    assert {"Spending Score (1-100)", "problems_reported"} <= set(selection.features)


def test_without_an_outcome_nothing_is_derived() -> None:
    frame = _customers().drop(columns="Churn")
    frame["predicted_value"] = np.random.default_rng(5).random(len(frame))
    selection = choose_features(load(frame.drop(columns="_churned").to_csv(index=False).encode()).columns)
    assert "predicted_value" in selection.features


def test_a_column_moving_with_a_numeric_outcome_is_derived() -> None:
    rng = np.random.default_rng(6)
    n = 300
    target = rng.integers(0, 9, n)  # a few-valued numeric outcome ("target"), not yes/no
    frame = pd.DataFrame({"x": rng.random(n), "y2": target * 2.0 + rng.normal(0, 0.2, n), "target": target})
    selection = choose_features(load(frame.to_csv(index=False).encode()).columns)
    assert selection.outcomes == ["target"]
    assert selection.excluded["y2"].startswith("derived from the outcome target")


def test_a_category_that_restates_the_outcome_is_derived() -> None:
    frame = _customers()
    frame["status_text"] = np.where(frame["_churned"], "gone", "active")
    selection = choose_features(load(_csv(frame)).columns)
    assert selection.excluded["status_text"].startswith("derived from the outcome Churn")


def test_the_analysts_choice_puts_a_derived_column_back() -> None:
    frame = _customers()
    frame["churn_probability"] = np.where(frame["_churned"], 0.95, 0.05)
    columns = load(_csv(frame)).columns
    chosen = choose_features(columns, features=["age", "churn_probability"])
    assert chosen.features == ["age", "churn_probability"]


def test_area_under_curve_against_its_definition() -> None:
    rng = np.random.default_rng(7)
    scores = rng.normal(size=200)
    positive = rng.random(200) < 0.4
    pairs = (scores[positive][:, None] > scores[~positive][None, :]).mean()
    assert area_under_curve(scores, positive) == pytest.approx(pairs)
    assert area_under_curve(scores, np.zeros(200, dtype=bool)) is None


def test_a_merely_useful_predictor_is_kept() -> None:
    """A feature that predicts churn well but not almost perfectly (AUC about 0.8) is a finding, not a leak."""
    frame = _customers(n=2000)
    rng = np.random.default_rng(8)
    frame["complaints"] = np.round(frame["_churned"] * 1.2 + rng.normal(0, 1, len(frame)), 2)
    columns = load(_csv(frame)).columns
    positive = frame["_churned"].to_numpy()
    assert 0.7 < area_under_curve(frame["complaints"].to_numpy(), positive) < MIN_AUC
    assert derived_columns(columns, ["complaints", "age"], ["Churn"]) == []


def test_average_ranks_share_ties() -> None:
    from segmentation.prepare.leakage import average_ranks

    assert average_ranks(np.array([3.0, 1.0, 3.0, 2.0, 3.0])).tolist() == [4.0, 1.0, 4.0, 2.0, 4.0]
