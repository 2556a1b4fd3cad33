"""The CLI refuses a bad setting as the core words it (Settings checks itself), in one line, exit 2."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize(
    ("options", "says"),
    [
        (["segment", "-k", "0"], "The number of segments must be a whole number of at least 2 (got 0)."),
        (
            ["segment", "--seed", "-1"],
            "The random seed must be a whole number from 0 to 4294967295 (got -1).",
        ),
        (
            ["choose-k", "--k-min", "1"],
            "The number of segments must be a whole number of at least 2 (got 1).",
        ),
    ],
)
def test_the_cli_reports_a_bad_setting_in_one_line_before_reading_the_file(
    options, says, tmp_path, capsys
) -> None:
    from segmentation import cli

    command, *rest = options
    missing = tmp_path / "not_read.csv"  # the setting is refused first, so the missing file is not noticed
    output = ["-o", str(tmp_path / "out.csv")] if command == "segment" else []
    assert cli.main([command, str(missing), *rest, *output]) == 2
    lines = capsys.readouterr().err.splitlines()
    assert lines == [f"error: {says}"]
