"""The core names no command-line flag; the CLI adds how to change a finding in its own terms."""

from __future__ import annotations

import re

import numpy as np

from segmentation import cli
from segmentation.prepare.outliers import find_extremes
from segmentation.report.findings import CATALOGUE
from tests.fixtures import csv_bytes

FLAG = re.compile(r"(?<![\w-])--[a-z]")


def test_no_catalogue_message_names_a_flag() -> None:
    assert [kind.code for kind in CATALOGUE.values() if FLAG.search(kind.template)] == []


def extreme_file(path) -> None:
    rng = np.random.default_rng(3)
    rows = [["id", "income", "visits"]]
    rows += [[i, round(float(rng.normal(50, 5)), 1), int(rng.integers(1, 9))] for i in range(300)]
    rows[40][1] = 90_000_000.0  # far outside the rest
    path.write_bytes(csv_bytes(rows))


def test_segment_says_how_to_keep_extreme_rows_unless_they_were_kept(tmp_path, capsys) -> None:
    source = tmp_path / "customers.csv"
    extreme_file(source)
    assert cli.main(["segment", str(source), "-k", "2", "-o", str(tmp_path / "out.csv")]) == 0
    lines = [line for line in capsys.readouterr().out.splitlines() if "far outside the rest" in line]
    assert len(lines) == 1 and "left out of the fit" in lines[0]
    assert lines[0].endswith("Keep them in the fit with --keep-extremes.")
    assert (
        cli.main(["segment", str(source), "-k", "2", "--keep-extremes", "-o", str(tmp_path / "kept.csv")])
        == 0
    )
    kept = [line for line in capsys.readouterr().out.splitlines() if "far outside the rest" in line]
    assert len(kept) == 1 and "kept in the fit" in kept[0] and "--keep-extremes" not in kept[0]


def test_the_core_action_of_extreme_rows_names_no_flag() -> None:
    import pandas as pd

    values = np.r_[np.random.default_rng(1).normal(0, 1, 200), 1e9]
    found = find_extremes(pd.DataFrame({"x": values}), np.ones(201, bool), lambda rows: rows + 2, keep=False)
    assert found.problems and not FLAG.search(found.problems[0].message)


def test_a_cli_error_gets_the_cli_hint(tmp_path, capsys) -> None:
    model = tmp_path / "model.skops"
    model.write_bytes(b"PK\x03\x04 not really a zip")
    source = tmp_path / "customers.csv"
    extreme_file(source)
    code = cli.main(["score", str(source), "--model", str(model), "-o", str(tmp_path / "scored.csv")])
    err = capsys.readouterr().err.splitlines()
    assert code == 2 and len(err) == 1, err
    assert "cannot be read as a model file" in err[0]
    assert err[0].endswith("Save the model again. segment --save-model saves one.")
