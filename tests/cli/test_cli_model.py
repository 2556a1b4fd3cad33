"""The model commands of the CLI: segment --save-model / --like, and score."""

from __future__ import annotations

import csv
import io
import pickle
import subprocess
import sys
from pathlib import Path

import pytest

from segmentation import cli
from segmentation.io.synthetic import customers_to_csv_bytes, generate_customers
from tests.fixtures import REPO, CreatesAFile


@pytest.fixture(scope="module")
def folder(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("cli_model")
    (folder / "train.csv").write_bytes(customers_to_csv_bytes(generate_customers(600, seed=4)))
    (folder / "new.csv").write_bytes(customers_to_csv_bytes(generate_customers(400, seed=5)))
    assert cli.main(["segment", str(folder / "train.csv"), "-k", "4", "-o", str(folder / "labeled.csv"),
                     "--save-model", str(folder / "model.skops")]) == 0  # fmt: skip
    return folder


def _column(path: Path, name: str) -> list[str]:
    rows = list(csv.DictReader(io.StringIO(path.read_text("utf-8"))))
    return [row[name] for row in rows]


def test_score_writes_segments_and_prints_the_drift(folder, capsys) -> None:
    capsys.readouterr()
    out, summary = folder / "scored.csv", folder / "summary.csv"
    code = cli.main(["score", str(folder / "new.csv"), "--model", str(folder / "model.skops"),
                     "-o", str(out), "--summary", str(summary)])  # fmt: skip
    printed = capsys.readouterr().out
    assert code == 0
    assert "PSI" in printed and "atypical" in printed and "customer_id" in printed
    assert set(_column(out, "segment")) == {"1", "2", "3", "4"}
    assert set(_column(out, "segment_fit")) <= {"typical", "atypical"}
    assert _column(summary, "segment") == ["1", "2", "3", "4"]


def test_scoring_the_training_file_matches_its_labels(folder) -> None:
    out = folder / "rescored.csv"
    assert (
        cli.main(["score", str(folder / "train.csv"), "--model", str(folder / "model.skops"), "-o", str(out)])
        == 0
    )
    assert _column(out, "segment") == _column(folder / "labeled.csv", "segment")


def test_segment_like_keeps_the_numbering(folder, capsys) -> None:
    capsys.readouterr()
    out = folder / "retrained.csv"
    code = cli.main(["segment", str(folder / "train.csv"), "-k", "4", "--seed", "9", "-o", str(out),
                     "--like", str(folder / "model.skops")])  # fmt: skip
    assert code == 0
    assert "kept their number" in capsys.readouterr().out
    assert _column(out, "segment") == _column(folder / "labeled.csv", "segment")


@pytest.mark.slow
def test_a_pickle_model_is_refused_with_exit_2_and_runs_nothing(folder, tmp_path) -> None:
    target = tmp_path / "created"
    bad = tmp_path / "model.skops"
    bad.write_bytes(pickle.dumps(CreatesAFile(target)))
    result = subprocess.run(
        [sys.executable, "-m", "segmentation", "score", str(folder / "new.csv"), "--model", str(bad),
         "-o", str(tmp_path / "out.csv")],
        cwd=REPO, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert result.returncode == 2
    assert len(result.stderr.strip().splitlines()) == 1 and "Traceback" not in result.stderr
    assert "not a model file" in result.stderr
    assert not target.exists() and not (tmp_path / "out.csv").exists()


def test_a_missing_feature_exits_2(folder, tmp_path, capsys) -> None:
    frame = generate_customers(50, seed=1).drop(columns=["spending_score"])
    path = tmp_path / "partial.csv"
    path.write_bytes(customers_to_csv_bytes(frame))
    assert (
        cli.main(["score", str(path), "--model", str(folder / "model.skops"), "-o", str(tmp_path / "o.csv")])
        == 2
    )
    assert "spending_score" in capsys.readouterr().err
