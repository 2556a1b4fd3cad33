"""segment --save, history, history --show and migrate from the shell."""

from __future__ import annotations

import io
from pathlib import Path

import pandas as pd
import pytest

from segmentation import cli
from segmentation.store.store import open_store
from tests.fixtures import mall_like_csv


@pytest.fixture
def periods(tmp_path, monkeypatch) -> Path:
    monkeypatch.setenv("SEGMENTATION_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.delenv("SEGMENTATION_STORE_URL", raising=False)
    (tmp_path / "oct.csv").write_bytes(mall_like_csv(200, seed=7))
    (tmp_path / "nov.csv").write_bytes(mall_like_csv(230, seed=8))
    return tmp_path


def _run(capsys, *args) -> tuple[int, str, str]:
    code = cli.main([str(a) for a in args])
    out, err = capsys.readouterr()
    return code, out, err


def test_save_list_show_and_migrate(periods, capsys):
    model = periods / "oct.skops"
    code, out, _ = _run(
        capsys, "segment", periods / "oct.csv", "-k", "4", "-o", periods / "l1.csv", "--save-model", model,
        "--save", "October", "--period", "2026-10-31",
    )  # fmt: skip
    assert code == 0 and "Saved as 'October' (2026-10-31)" in out and "200 customers (key CustomerID)" in out
    code, out, _ = _run(
        capsys, "segment", periods / "nov.csv", "-k", "4", "-o", periods / "l2.csv", "--like", model,
        "--save", "November", "--period", "2026-11-30",
    )  # fmt: skip
    assert code == 0

    code, out, _ = _run(capsys, "history")
    assert code == 0 and "2 saved in" in out
    lines = [line.split() for line in out.splitlines()[1:]]
    assert [line[0] for line in lines] == ["October", "November"]
    assert lines[0][-1] == lines[1][-1]  # one model lineage

    code, out, _ = _run(capsys, "history", "--show", "November")
    assert code == 0 and "2 saved periods of this model" in out and "PSI" in out

    code, out, _ = _run(capsys, "migrate", "October", "November", "-o", periods / "moves.csv")
    assert code == 0 and "200 customers in both 'October' and 'November'" in out
    assert "30 new customers" in out
    moves = pd.read_csv(periods / "moves.csv", dtype=str)
    assert len(moves) == 200 and moves["customer_key"].iloc[0] == "0001"
    store = open_store()
    matrix_total = sum(int(n) for n in moves.groupby(["old_segment", "new_segment"]).size())
    assert matrix_total == store.info("October").n_customers

    code, out, _ = _run(
        capsys, "migrate", "October", "November", "--from", "1", "--to", "2", "-o", periods / "m.csv"
    )
    chosen = pd.read_csv(io.BytesIO((periods / "m.csv").read_bytes()), dtype=str)
    assert set(chosen["old_segment"]) <= {"1"} and set(chosen["new_segment"]) <= {"2"}
    assert len(chosen) == int((moves["old_segment"].eq("1") & moves["new_segment"].eq("2")).sum())


def test_no_customers_and_bad_input_are_one_line(periods, capsys):
    code, out, _ = _run(
        capsys, "segment", periods / "oct.csv", "-o", periods / "l.csv", "--save", "Bare", "--no-customers"
    )
    assert code == 0 and "without its customers" in out
    code, _, err = _run(capsys, "migrate", "Bare", "Bare")
    assert code == 2 and err.count("\n") == 1 and "saved without its customers" in err
    code, _, err = _run(capsys, "segment", periods / "oct.csv", "-o", periods / "l.csv", "--save", "Bare")
    assert code == 2 and err.count("\n") == 1 and "already called 'Bare'" in err
    code, _, err = _run(capsys, "history", "--show", "Nope")
    assert code == 2 and "No saved segmentation is called 'Nope'" in err
    (periods / "broken.db").write_bytes(b"junk" * 100)
    code, _, err = _run(capsys, "history", "--store", f"sqlite:///{periods / 'broken.db'}")
    assert code == 2 and err.count("\n") == 1 and "not a database" in err
    code, _, err = _run(capsys, "history", "--rename", "Bare", "Plain")
    assert code == 0
    assert open_store().names() == ["Plain"]
