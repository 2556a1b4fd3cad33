"""``report`` and the ``--split-dir`` and ``--report`` outputs of ``segment``, run in-process."""

from __future__ import annotations

import contextlib
import csv
import io
import re
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from segmentation import cli
from segmentation.io.synthetic import customers_to_csv_bytes, generate_customers
from tests.fixtures import REPO
from tests.hostile import HEADER, hostile_csv
from tests.report.test_html import read


@pytest.fixture
def customers(tmp_path: Path) -> Path:
    frame = generate_customers(150, seed=8, personas=3).astype(str)
    frame.loc[[3, 9], "annual_income"] = ""  # left unsegmented under --missing exclude
    path = tmp_path / "customers.csv"
    path.write_bytes(customers_to_csv_bytes(frame))
    return path


def read_rows(path: Path) -> list[list[str]]:
    return list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"), newline="")))


def test_split_dir_writes_one_list_per_segment_holding_every_row_once(customers, tmp_path, capsys):
    folder = tmp_path / "lists"
    labeled = tmp_path / "labeled.csv"
    args = ["segment", str(customers), "-k", "3", "--missing", "exclude", "-o", str(labeled)]
    assert cli.main([*args, "--split-dir", str(folder)]) == 0
    assert f"Wrote 4 customer lists (one per segment) to {folder}" in capsys.readouterr().out
    files = sorted(folder.iterdir())
    assert [f.name[:3] for f in files[:3]] == ["01_", "02_", "03_"]
    assert files[-1].name == "not_segmented.csv"
    full = read_rows(labeled)
    seen = []
    for path in files:
        rows = read_rows(path)
        assert rows[0] == full[0][: len(rows[0])]
        seen += [tuple(row[: len(rows[0])]) for row in rows[1:]]
    width = len(full[0]) - 1  # the segment_note column only the list of rows not segmented has
    assert sorted(row[:width] for row in seen) == sorted(tuple(row[:width]) for row in full[1:])
    assert len(seen) == 150


def test_segment_report_names_the_saved_model(customers, tmp_path, capsys):
    report, model = tmp_path / "report.html", tmp_path / "model.skops"
    args = ["segment", str(customers), "-k", "3", "-o", str(tmp_path / "l.csv"), "--save-model", str(model)]
    assert cli.main([*args, "--report", str(report)]) == 0
    out = capsys.readouterr().out
    model_id = re.search(r"model id ([0-9a-f]{16})", out).group(1)
    assert f"Wrote the report to {report}" in out
    parsed = read(report.read_text(encoding="utf-8"))
    assert dict(parsed.tables["settings-table"])["Model id"] == model_id
    assert dict(parsed.tables["facts"])["File"] == "customers.csv"


def test_report_takes_the_options_of_segment(customers, tmp_path, capsys):
    report = tmp_path / "r.html"
    args = ["report", str(customers), "-k", "4", "--scaling", "robust", "--features", "annual_income,age"]
    assert cli.main([*args, "-o", str(report)]) == 0
    assert f"Wrote the report on 4 segments to {report}" in capsys.readouterr().out
    parsed = read(report.read_text(encoding="utf-8"))
    settings = dict(parsed.tables["settings-table"])
    assert settings["Number of segments (k)"] == "4" and settings["Scaling"] == "robust"
    assert settings["Model id"] == "not saved"
    assert [row[0] for row in parsed.tables["feature-list"][1:]] == ["annual_income", "age"]
    assert len(parsed.tables["segment-summary"]) == 5


def test_report_with_k_scores_draws_the_curves(tmp_path, capsys):
    source = tmp_path / "small.csv"
    source.write_bytes(customers_to_csv_bytes(generate_customers(40, seed=2)))
    report = tmp_path / "r.html"
    assert cli.main(["report", str(source), "-k", "3", "--k-scores", "-o", str(report)]) == 0
    parsed = read(report.read_text(encoding="utf-8"))
    scored = [int(row[0]) for row in parsed.tables["k-scores"][1:]]
    assert scored == list(range(2, 11))


def test_the_report_shows_a_hostile_header_as_text(tmp_path, capsys):
    source = tmp_path / "hostile.csv"
    source.write_bytes(hostile_csv())
    report = tmp_path / "r.html"
    assert cli.main(["report", str(source), "-k", "3", "-o", str(report)]) == 0
    parsed = read(report.read_text(encoding="utf-8"))
    assert HEADER in [row[0] for row in parsed.tables["feature-list"]]
    assert "a" not in {tag for tag, _ in parsed.tags}


@pytest.mark.parametrize("extra", [["--split-dir", "lists"], ["--report", "r.html"]])
def test_parquet_input_refuses_lists_and_report_in_one_line(tmp_path, capsys, extra):
    parquet = tmp_path / "c.parquet"
    generate_customers(50, seed=1).to_parquet(parquet)
    extra = [extra[0], str(tmp_path / extra[1])]
    assert cli.main(["segment", str(parquet), "-o", str(tmp_path / "o.parquet"), *extra]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "CSV input" in err
    assert not (tmp_path / extra[1]).exists()


def test_report_of_a_parquet_file_is_one_line(tmp_path, capsys):
    parquet = tmp_path / "c.parquet"
    pd.DataFrame({"a": [1, 2]}).to_parquet(parquet)
    assert cli.main(["report", str(parquet), "-o", str(tmp_path / "r.html")]) == 2
    assert capsys.readouterr().err.count("\n") == 1


def test_report_into_a_missing_folder_fails_before_any_work(customers, tmp_path, capsys):
    assert cli.main(["report", str(customers), "-o", str(tmp_path / "nowhere" / "r.html")]) == 2
    assert "does not exist" in capsys.readouterr().err


SEGMENT_OUTPUTS = {"-o", "--output", "--fit-rows", "--summary", "--save-model", "--split-dir", "--report"}
# Where segment also keeps its result: a workbook's sheets and the store of saved segmentations.
SEGMENT_OUTPUTS |= {"--sheet-per-segment", "--save", "--store", "--key", "--no-customers", "--period"}
REPORT_OUTPUTS = {"-o", "--output", "--save-model", "--k-scores"}


def options_of(command: str) -> set[str]:
    parser = cli.build_parser()
    with pytest.raises(SystemExit), contextlib.redirect_stdout(io.StringIO()) as out:
        parser.parse_args([command, "--help"])
    return set(re.findall(r"(?<![\w-])(-k|--[a-z][a-z-]+)\b", out.getvalue())) - {"--help"}


def test_report_takes_every_choice_of_segment():
    """What changes the segments is the same in both commands; only the outputs differ."""
    choices = options_of("segment") - SEGMENT_OUTPUTS
    assert {"-k", "--features", "--scaling", "--missing", "--seed", "--encoding", "--like"} <= choices
    assert options_of("report") - REPORT_OUTPUTS == choices


def test_report_help_lists_the_segment_options():
    result = subprocess.run(
        [sys.executable, "-m", "segmentation", "report", "--help"],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0
    for option in ("-k", "--features", "--scaling", "--missing", "--seed", "--encoding", "--k-scores", "-o"):
        assert option in result.stdout
