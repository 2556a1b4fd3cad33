"""Settings are checked when they are made: one clear error for the CLI and the pages alike."""

from __future__ import annotations

import pytest

from segmentation import SegmentationError, Settings
from segmentation.model.settings import DEFAULTS


@pytest.mark.parametrize(
    ("fields", "says"),
    [
        ({"n_clusters": 0}, "The number of segments must be a whole number of at least 2 (got 0)."),
        ({"n_clusters": 1}, "at least 2 (got 1)"),
        ({"n_clusters": 2.5}, "whole number"),
        ({"n_clusters": True}, "(got True)"),
        (
            {"scaling": "log"},
            "The scaling must be one of 'standard', 'robust', 'minmax', 'none' (got 'log').",
        ),
        ({"missing": "drop"}, "The handling of gaps must be one of 'impute', 'exclude'"),
        ({"placeholders": "zero"}, "The handling of placeholders must be one of 'missing', 'category'"),
        ({"random_state": -1}, "The random seed must be a whole number from 0 to 4294967295 (got -1)."),
        ({"random_state": 2**32}, "(got 4294967296)"),
        ({"features": ("age", 3)}, "The feature columns must be a list of column names"),
        ({"features": "age"}, "(got 'age')"),
        ({"as_categorical": None}, "The columns read as categories must be a list of column names"),
        ({"max_categories": 0}, "at least 1 (got 0)"),
        ({"include_outcomes": "yes"}, "True or False"),
        ({"keep_extremes": 1}, "True or False"),
    ],
)
def test_a_bad_setting_is_refused_at_once_with_what_it_must_be(fields, says) -> None:
    with pytest.raises(SegmentationError) as raised:
        Settings(**fields)
    assert raised.value.code == "bad-setting"
    assert says in str(raised.value)
    assert "--" not in str(raised.value)  # the core names no command-line flag


def test_good_settings_are_kept_and_lists_become_hashable_tuples() -> None:
    settings = Settings(n_clusters=3, scaling="robust", features=["a", "b"], as_categorical=["region"])
    assert settings.features == ("a", "b") and settings.as_categorical == ("region",)
    assert hash(settings) == hash(
        Settings(n_clusters=3, scaling="robust", features=("a", "b"), as_categorical=("region",))
    )
    assert Settings() == DEFAULTS
