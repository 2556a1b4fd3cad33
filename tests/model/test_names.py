"""Names that never mislead: every trait true by the numbers, ranks consistent, one language."""

from __future__ import annotations

import pandas as pd

from segmentation.model.names import (
    STRONG_TRAIT,
    dominant_category,
    feature_label,
    label_language,
    name_segments,
)


def differences(columns: dict[str, list[float]]) -> pd.DataFrame:
    n = len(next(iter(columns.values())))
    return pd.DataFrame(columns, index=pd.RangeIndex(1, n + 1, name="segment"))


def test_high_only_from_half_a_standard_deviation() -> None:
    names = name_segments(differences({"income": [0.49, 0.51, -0.5, 0.0]}), {})
    assert names[1] == "Typical customers" and names[2] == "High income" and names[3] == "Low income"
    assert STRONG_TRAIT == 0.5


def test_no_high_segment_below_one_left_unnamed_for_it() -> None:
    """Segment 2 is older (+0.7) than segment 1 (+0.6) but named for stronger traits: then segment 1
    may not be called older; it takes its next true trait instead."""
    diffs = differences({"age": [0.6, 0.7, -1.3], "income": [0.0, 2.0, 0.0], "visits": [-0.55, 1.5, 0.0]})
    names = name_segments(diffs, {})
    assert "older" not in names[1].lower() and "younger" not in names[1].lower()
    assert names[1] == "Low visits"
    assert names[2] == "High income, high visits"
    # Every trait in every name is true and consistent: for each named "high X", no unnamed segment is higher.
    for segment, name in names.items():
        for column in diffs.columns:
            if f"high {column}" in name.lower():
                others = [s for s, n in names.items() if f"high {column}" not in n.lower()]
                assert all(diffs.loc[s, column] <= diffs.loc[segment, column] for s in others)


def _mix(values: dict[str, list[float]]) -> dict[str, pd.DataFrame]:
    frame = pd.DataFrame(values, index=pd.RangeIndex(1, len(next(iter(values.values()))) + 1, name="segment"))
    frame.columns.name = "product_category"
    return {"product_category": frame}


def test_a_dominant_category_names_a_segment() -> None:
    mix = _mix({"home_goods": [0.87, 0.1, 0.1], "beauty": [0.13, 0.9, 0.9]})
    diffs = differences(
        {"spend": [0.8, 0.0, 0.0], "product_category = home_goods": [2.1, -0.6, -0.6],
         "product_category = beauty": [-2.1, 0.6, 0.6]}
    )  # fmt: skip
    sizes = pd.Series([100, 100, 100], index=diffs.index)
    names = name_segments(diffs, mix, sizes)
    assert names[1].startswith("Home goods")
    # 90% beauty is not 1.5x its overall share (63%): not a trait
    assert dominant_category(2, mix["product_category"], sizes) is None


def test_dominant_needs_sixty_percent_and_one_and_a_half_times_overall() -> None:
    mix = _mix({"a": [0.59, 0.1, 0.1], "b": [0.41, 0.9, 0.9]})["product_category"]
    assert dominant_category(1, mix) is None
    mix = _mix({"a": [0.61, 0.1, 0.1], "b": [0.39, 0.9, 0.9]})["product_category"]
    assert dominant_category(1, mix) == "a"
    # Weighted by size: a huge segment 1 makes its own share the overall one.
    assert dominant_category(1, mix, pd.Series([10_000, 1, 1], index=mix.index)) is None


def test_column_names_are_humanised() -> None:
    assert feature_label("num_deals_purchases") == "deals purchases"
    assert feature_label("NumWebVisitsMonth") == "web visits month"
    assert feature_label("MntWines") == "mnt wines"
    assert feature_label("Annual Income (k$)") == "annual income"


def test_one_language_per_name() -> None:
    diffs = differences({"покупок в год": [2.0, -2.0], "годовой доход": [-1.0, 1.0]})
    names = name_segments(diffs, {})
    assert names[1] == "Покупок в год выше среднего"  # the second trait would pass 40 characters
    assert all("high" not in n.lower() and "low" not in n.lower() for n in names.values()), names
    mixed = name_segments(differences({"Idade": [2.0, -2.0], "income": [1.5, -1.5]}), {})
    assert mixed[1] == "Idade acima da média" and mixed[2] == "Idade abaixo da média"
    assert label_language("Limite Consumido") == "pt" and label_language("Annual Income") == "en"


def test_names_are_cut_at_a_word_not_in_the_middle() -> None:
    long = "average_monthly_spending_on_premium_household_products_last_year"
    names = name_segments(differences({long: [2.0, -2.0]}), {})
    assert names[1].endswith("…") and len(names[1]) <= 40
    stem = names[1][:-1].lower().removeprefix("high ")
    assert feature_label(long).startswith(stem) and feature_label(long)[len(stem)] == " "


def test_generic_category_values_carry_their_column() -> None:
    mix = {"OnlineSecurity": pd.DataFrame({"No": [0.95, 0.2], "Yes": [0.05, 0.8]}, index=pd.RangeIndex(1, 3))}
    diffs = differences(
        {"x": [0.0, 0.0], "OnlineSecurity = No": [1.5, -1.5], "OnlineSecurity = Yes": [-1.5, 1.5]}
    )
    assert name_segments(diffs, mix)[1] == "Online security: No"
