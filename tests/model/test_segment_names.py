"""Generated segment names survive real column names: short, unique, ranked, at most two traits."""

from __future__ import annotations

import pandas as pd

from segmentation.model.names import MAX_NAME, name_segments

LONG = (
    "Naive_Bayes_Classifier_Attrition_Flag_Card_Category_Contacts_Count_12_mon_"
    "Dependent_count_Education_Level_Months_Inactive_12_mon_1"
)


def differences(columns: dict[str, list[float]]) -> pd.DataFrame:
    n = len(next(iter(columns.values())))
    return pd.DataFrame(columns, index=pd.RangeIndex(1, n + 1, name="segment"))


def test_long_column_names_give_names_of_at_most_40_characters():
    names = name_segments(differences({LONG: [2.0, -2.0, 0.1], LONG + "_2": [1.0, -1.5, 0.0]}), {})
    assert all(len(n) <= MAX_NAME for n in names.values()), names
    assert len(set(names.values())) == 3
    assert names[1].startswith("High naive bayes") and "…" in names[1]


def test_a_lower_segment_is_very_low_not_low_x_2():
    names = name_segments(differences({"income": [-0.6, -2.5, 1.0], "visits": [0.0, 0.0, 0.0]}), {})
    assert names == {1: "Low income", 2: "Very low income", 3: "High income"}


def test_three_segments_on_the_same_side_are_ranked():
    names = name_segments(differences({"Age": [1.0, 2.0, 0.6], "x": [0.0, 0.0, 0.0]}), {})
    assert names == {1: "Older", 2: "Much older", 3: "Slightly older"}


def test_at_most_two_traits():
    mix = {
        "tier": pd.DataFrame(
            {"gold": [0.9, 0.1], "silver": [0.1, 0.9]}, index=pd.RangeIndex(1, 3, name="segment")
        )
    }
    names = name_segments(differences({"a": [1.0, -1.0], "b": [-0.9, 0.9], "c": [0.8, -0.8]}), mix)
    assert all(n.count(",") <= 1 for n in names.values()), names
    assert names[1] == "High a, low b"


def test_unrankable_duplicates_are_numbered_within_the_limit():
    names = name_segments(differences({LONG: [0.0, 0.0, 0.0]}), {})
    assert sorted(names.values()) == ["Typical customers", "Typical customers (2)", "Typical customers (3)"]


def test_names_that_collide_after_shortening_are_ranked_not_numbered():
    """Two long traits do not fit 40 characters; segments left with the same one trait are ranked."""
    other = LONG.replace("Naive", "Other")
    names = name_segments(differences({LONG: [1.2, 2.0, -1.0], other: [0.9, -1.1, 0.0]}), {})
    assert names[2].startswith("Very high naive") and names[1].startswith("High naive"), names
    assert all(len(n) <= MAX_NAME and "(" not in n for n in names.values()), names
    assert len(set(names.values())) == 3


def test_a_short_trait_keeps_its_long_partner_shortened():
    names = name_segments(differences({LONG: [2.0, -2.0], "age": [1.0, -1.0]}), {})
    assert names[1].endswith(", older") and len(names[1]) <= MAX_NAME and "…" in names[1]


def test_equally_low_segments_are_numbered_not_ranked():
    names = name_segments(differences({"year": [-1.0, -1.02, 1.0], "x": [0.0, 0.0, 0.0]}), {})
    assert sorted(names.values()) == ["High year", "Low year", "Low year (2)"]
