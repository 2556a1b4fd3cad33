"""``segment`` prints outcome lifts, each segment's rule and tiny-segment warnings; the summary CSV
and the model file's manifest carry the same rules."""

from __future__ import annotations

import csv
import io

import numpy as np
import pandas as pd

from segmentation.cli import main
from segmentation.reuse.modelfile import read_model


def _file(tmp_path):
    rng = np.random.default_rng(0)
    n = 300
    low = np.arange(n) < 150
    frame = pd.DataFrame(
        {
            "income": np.where(low, rng.uniform(10, 40, n), rng.uniform(60, 90, n)).round(1),
            "Churn": np.where(rng.random(n) < np.where(low, 0.5, 0.1), "Yes", "No"),
        }
    )
    path = tmp_path / "churn.csv"
    frame.to_csv(path, index=False)
    return path


def test_segment_prints_rules_outcomes_and_writes_them(tmp_path, capsys):
    path = _file(tmp_path)
    args = ["segment", str(path), "-k", "2", "-o", str(tmp_path / "out.csv")]
    args += ["--summary", str(tmp_path / "summary.csv"), "--save-model", str(tmp_path / "model.skops")]
    assert main(args) == 0
    out = capsys.readouterr().out
    assert "Churn: share of Yes (lift)" in out and "all customers" in out
    assert "Segment 1: income " in out and "These rules put 100% of the customers in their own segment" in out
    rows = list(csv.DictReader(io.StringIO((tmp_path / "summary.csv").read_text(encoding="utf-8"))))
    assert {"rule", "rule coverage", "rule precision", "Churn: share of Yes (lift)"} <= set(rows[0])
    assert all(row["rule"].startswith("income") and float(row["rule coverage"]) == 1.0 for row in rows)
    manifest = read_model(tmp_path / "model.skops").manifest
    assert manifest.rules["agreement"] == 1.0
    assert [r["text"] for r in manifest.rules["rules"]] == [row["rule"] for row in rows]


def test_tiny_segment_warning_names_what_to_try(tmp_path, capsys):
    rng = np.random.default_rng(1)
    points = np.vstack([rng.normal(0, 1, (400, 2)), rng.normal(9, 0.3, (6, 2))])
    path = tmp_path / "tiny.csv"
    pd.DataFrame(points, columns=["a", "b"]).round(3).to_csv(path, index=False)
    assert main(["segment", str(path), "-k", "3", "--keep-extremes", "-o", str(tmp_path / "o.csv")]) == 0
    out = capsys.readouterr().out
    assert "is tiny: 6 of 406 customers (1.5%)" in out
    assert "Try a smaller -k, or drop --keep-extremes" in out


def test_the_core_names_no_flag_and_the_command_line_adds_its_own(tmp_path, capsys):
    from segmentation import Settings, load, segment

    rng = np.random.default_rng(2)
    values = np.r_[rng.normal(50, 5, 300), [5000.0]]
    path = tmp_path / "extreme.csv"
    pd.DataFrame({"income": values.round(1), "visits": rng.integers(1, 9, 301)}).to_csv(path, index=False)
    run = segment(load(path), Settings(n_clusters=2))
    messages = [p.message for p in run.report.problems + run.selection.notes]
    assert any("left out of the fit" in m for m in messages)
    assert not any("--" in m for m in messages)
    assert main(["segment", str(path), "-k", "2", "-o", str(tmp_path / "o.csv")]) == 0
    assert "Keep them in the fit with --keep-extremes." in capsys.readouterr().out
