"""``python -m segmentation`` run as a user would: in a subprocess from the repository root.

Every command of the module runs once, all at the same time (a Python start-up with
scikit-learn costs seconds), and the tests then check what each one printed and wrote.
"""

from __future__ import annotations

import csv
import io
import os
import subprocess
import sys
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np
import pytest

from segmentation import cli
from segmentation.io import synthetic
from segmentation.io.synthetic import customers_to_csv_bytes, generate_customers
from tests.fixtures import REPO

pytestmark = pytest.mark.slow  # the commands run as subprocesses, each importing the stack


def _inputs(folder: Path) -> dict[str, Path]:
    frame = generate_customers(300, seed=5, personas=3).astype(str)
    frame.loc[[2, 4], "annual_income"] = ""
    frame.loc[[6], "age"] = "unknown"
    files = {
        "customers": customers_to_csv_bytes(frame),
        "clean": customers_to_csv_bytes(generate_customers(300, seed=6, personas=3)),
        "small": customers_to_csv_bytes(generate_customers(30, seed=1)),
        "binary": bytes(range(256)) * 40,
        "empty": b"",
        "header_only": b"customer_id,annual_income,spending_score,age\n",
        "churn": _churn_file(),
    }
    paths = {}
    for name, data in files.items():
        paths[name] = folder / f"{name}.csv"
        paths[name].write_bytes(data)
    return paths


def _churn_file() -> bytes:
    """A generic export: a row number, a customer key, measures in the thousands and an outcome."""
    rng = np.random.default_rng(9)
    lines = ["RowNumber,CustomerId,Balance,Age,Products,Exited"]
    for i in range(200):
        balance = round(float(rng.uniform(0, 250_000)), 2)
        lines.append(
            f"{i + 1},{15_000_000 + 7 * i},{balance},{rng.integers(18, 80)},{rng.integers(1, 4)},{i % 5 == 0:d}"
        )
    return ("\n".join(lines) + "\n").encode()


def _commands(folder: Path, p: dict[str, Path]) -> dict[str, tuple[list[str], dict[str, str]]]:
    out = folder / "out"
    out.mkdir()
    cmds: dict[str, list[str]] = {
        "help": ["--help"],
        "help_generate": ["generate", "--help"],
        "help_segment": ["segment", "--help"],
        "help_choose_k": ["choose-k", "--help"],
        "generate": ["generate", "-n", "250", "--seed", "3", "-o", str(out / "gen.csv")],
        "segment": [
            "segment",
            str(p["customers"]),
            "-o",
            str(out / "labeled.csv"),
            "--summary",
            str(out / "summary.csv"),
        ],
        "segment_again": [
            "segment",
            str(p["customers"]),
            "-o",
            str(out / "labeled_again.csv"),
            "--summary",
            str(out / "summary_again.csv"),
        ],
        "choose_k": ["choose-k", str(p["clean"]), "--k-max", "6"],
        "missing_file": ["segment", str(folder / "nope.csv"), "-o", str(out / "x.csv")],
        "binary": ["segment", str(p["binary"]), "-o", str(out / "x.csv")],
        "empty": ["segment", str(p["empty"]), "-o", str(out / "x.csv")],
        "header_only": ["segment", str(p["header_only"]), "-o", str(out / "x.csv")],
        "k_one": ["segment", str(p["small"]), "-k", "1", "-o", str(out / "x.csv")],
        "k_too_large": ["segment", str(p["small"]), "-k", "31", "-o", str(out / "x.csv")],
        "unknown_feature": [
            "segment",
            str(p["small"]),
            "--features",
            "age,shoe_size",
            "-o",
            str(out / "x.csv"),
        ],
        "choose_k_too_large": ["choose-k", str(p["small"]), "--k-max", "30"],
        "choose_k_unknown_feature": ["choose-k", str(p["small"]), "--features", "shoe_size"],
        "no_such_folder": ["segment", str(p["small"]), "-o", str(folder / "nowhere" / "x.csv")],
        "churn": ["segment", str(p["churn"]), "-k", "3", "-o", str(out / "churn.csv")],
        "churn_included": [
            "segment",
            str(p["churn"]),
            "-k",
            "3",
            "--include-outcomes",
            "-o",
            str(out / "churn_included.csv"),
        ],
    }
    env = {**os.environ, "PYTHONHASHSEED": "0"}
    commands = {name: (args, env) for name, args in cmds.items()}
    # A second process with a different hash seed must write the very same files.
    commands["segment_again"] = (cmds["segment_again"], {**os.environ, "PYTHONHASHSEED": "123"})
    return commands


@pytest.fixture(scope="module")
def runs(tmp_path_factory) -> dict[str, subprocess.CompletedProcess]:
    folder = tmp_path_factory.mktemp("cli")
    commands = _commands(folder, _inputs(folder))

    def run(item):
        name, (args, env) = item
        return name, subprocess.run(
            [sys.executable, "-m", "segmentation", *args],
            cwd=REPO,
            env=env,
            capture_output=True,
            text=True,
            timeout=240,
        )

    with ThreadPoolExecutor(max_workers=8) as pool:
        results = dict(pool.map(run, commands.items()))
    for result in results.values():
        result.folder = folder  # type: ignore[attr-defined]
    return results


def _ok(result: subprocess.CompletedProcess) -> None:
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stdout + result.stderr


@pytest.mark.parametrize(
    ("name", "mentions"),
    [
        ("help", ["generate", "segment", "choose-k"]),
        ("help_generate", ["-n", "--seed", "--output"]),
        (
            "help_segment",
            [
                "input",
                "-k",
                "--features",
                "--scaling",
                "--missing",
                "--seed",
                "--output",
                "--summary",
                "--encoding",
                "standard",
                "robust",
                "minmax",
                "none",
                "impute",
                "exclude",
            ],
        ),
        ("help_choose_k", ["input", "--k-min", "--k-max", "--features", "--seed", "--encoding"]),
    ],
)
def test_help(runs, name: str, mentions: list[str]) -> None:
    result = runs[name]
    _ok(result)
    assert result.stdout.startswith("usage: python -m segmentation")
    for option in mentions:
        assert option in result.stdout, option


def test_generate_writes_n_rows(runs) -> None:
    result = runs["generate"]
    _ok(result)
    path = result.folder / "out" / "gen.csv"
    rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"), newline="")))
    assert rows[0] == [
        "customer_id",
        "annual_income",
        "spending_score",
        "number_of_purchases",
        "age",
        "years_with_company",
        "average_order_value",
        "activity_per_week",
        "product_category",
    ]
    assert len(rows) == 251
    assert "250" in result.stdout and str(path) in result.stdout


def test_segment_prints_and_writes(runs) -> None:
    result = runs["segment"]
    _ok(result)
    out = result.stdout
    assert "Detected: 300 rows × 9 columns" in out
    assert "UTF-8" in out and "comma" in out
    assert "Problems found:" in out
    assert "annual_income: 2 cells are empty" in out
    assert "'unknown'" in out  # the non-number in age, with its text
    assert "5 segments of 300 customers" in out
    lines = out.splitlines()
    features = lines.index(
        "Features: annual_income, spending_score, number_of_purchases, age, years_with_company, "
        "average_order_value, activity_per_week, product_category"
    )
    assert lines[features + 1].startswith("Left out: customer_id — customer ID")
    for column in ("name", "size", "share", "annual_income", "spending_score", "activity_per_week"):
        assert column in out
    assert "labeled.csv" in out and "summary.csv" in out

    folder = result.folder / "out"
    labeled = list(csv.reader(io.StringIO((folder / "labeled.csv").read_text(encoding="utf-8"), newline="")))
    assert len(labeled) == 301
    assert labeled[0][-2:] == ["segment", "segment_name"]
    assert all(row[-2] in {"1", "2", "3", "4", "5"} and row[-1] for row in labeled[1:])
    summary = list(csv.reader(io.StringIO((folder / "summary.csv").read_text(encoding="utf-8"), newline="")))
    assert summary[0][:4] == ["segment", "name", "size", "share"]
    assert [row[0] for row in summary[1:]] == ["1", "2", "3", "4", "5"]
    assert sum(int(row[2]) for row in summary[1:]) == 300
    sizes = [int(row[2]) for row in summary[1:]]
    assert sizes == sorted(sizes, reverse=True)
    # The printed table shows the segment names from the summary.
    for row in summary[1:]:
        assert row[1][:20] in out


def test_segment_is_repeatable_across_processes(runs) -> None:
    _ok(runs["segment_again"])
    folder = runs["segment"].folder / "out"
    assert (folder / "labeled.csv").read_bytes() == (folder / "labeled_again.csv").read_bytes()
    assert (folder / "summary.csv").read_bytes() == (folder / "summary_again.csv").read_bytes()


def test_choose_k_prints_table_and_suggestion(runs) -> None:
    result = runs["choose_k"]
    _ok(result)
    out = result.stdout
    assert out.startswith("Detected: 300 rows")
    for column in ("inertia", "silhouette", "calinski_harabasz", "davies_bouldin", "stability"):
        assert column in out
    table_lines = [line.split() for line in out.splitlines()]
    ks = [int(parts[0]) for parts in table_lines if parts and parts[0].isdigit() and len(parts) == 6]
    assert ks == [2, 3, 4, 5, 6]
    assert "Suggested k: 3." in out
    assert "\nFeatures: annual_income, spending_score," in out
    # Progress goes to stderr, one line per k.
    assert [line for line in result.stderr.splitlines() if "scored" in line] == [
        f"  k = {k} scored ({i} of 5)" for i, k in enumerate(range(2, 7), start=1)
    ]


@pytest.mark.parametrize(
    ("name", "says"),
    [
        ("missing_file", "nope.csv"),
        ("binary", "binary"),
        ("empty", "empty"),
        ("header_only", "no customer rows"),
        ("k_one", "at least 2"),
        ("k_too_large", "31"),
        ("unknown_feature", "shoe_size"),
        ("choose_k_too_large", "30"),
        ("choose_k_unknown_feature", "shoe_size"),
        ("no_such_folder", "nowhere"),
    ],
)
def test_bad_input_one_clear_line(runs, name: str, says: str) -> None:
    result = runs[name]
    assert result.returncode == 2, (result.stdout, result.stderr)
    assert "Traceback" not in result.stdout and "Traceback" not in result.stderr
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, result.stderr
    assert "error" in lines[0] and says in lines[0]
    assert not (result.folder / "out" / "x.csv").exists()


def test_an_unexpected_failure_is_one_line_without_traceback(monkeypatch, capsys, tmp_path):
    """A bug inside the core must not print a traceback either (exit 1, not 2)."""

    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(synthetic, "generate_customers", broken)  # the CLI imports it when run
    code = cli.main(["generate", "-n", "5", "-o", str(tmp_path / "x.csv")])
    err = capsys.readouterr().err
    assert code == 1
    assert err.count("\n") == 1 and "boom" in err and "Traceback" not in err


def _russian_customers(path: Path) -> None:
    """Customers with a Cyrillic city column, saved by a Russian Windows machine (cp1251)."""
    frame = generate_customers(60, seed=2).astype(str)
    frame["Город"] = ["Москва", "Казань", "Омск"] * 20
    path.write_bytes(customers_to_csv_bytes(frame).decode("utf-8").encode("cp1251"))


def test_encoding_flag_is_passed_to_the_reader(tmp_path, capsys) -> None:
    source, labeled = tmp_path / "ru.csv", tmp_path / "labeled.csv"
    _russian_customers(source)
    assert cli.main(["segment", str(source), "-k", "2", "-o", str(labeled), "--encoding", "cp1251"]) == 0
    assert "encoding Windows-1251 (Cyrillic) (as chosen)" in capsys.readouterr().out
    rows = list(csv.reader(io.StringIO(labeled.read_text(encoding="utf-8"), newline="")))
    assert "Город" in rows[0] and "Москва" in rows[1]


def test_score_and_customers_take_the_encoding_too(tmp_path, capsys) -> None:
    """Every command that reads a CSV lets the person name its code page."""
    source, model = tmp_path / "ru.csv", tmp_path / "model.skops"
    _russian_customers(source)
    assert cli.main(["segment", str(source), "-k", "2", "-o", str(tmp_path / "a.csv"),
                     "--save-model", str(model)]) == 0  # fmt: skip
    capsys.readouterr()
    scored = tmp_path / "scored.csv"
    assert (
        cli.main(["score", str(source), "--model", str(model), "-o", str(scored), "--encoding", "cp866"]) == 0
    )
    assert "encoding DOS 866 (Cyrillic) (as chosen)" in capsys.readouterr().out
    header = next(csv.reader(io.StringIO(scored.read_text(encoding="utf-8"), newline="")))
    assert "Город".encode("cp1251").decode("cp866") in header  # read as told, however wrong

    lines = tmp_path / "lines.csv"
    lines.write_bytes("Клиент;Дата;Сумма\nИванов;2024-01-05;10,5\nПетров;2024-02-07;20\n".encode("cp1251"))
    out = tmp_path / "customers.csv"
    assert cli.main(["customers", str(lines), "-o", str(out), "--customer", "Клиент", "--date", "Дата",
                     "--amount", "Сумма", "--encoding", "cp1251"]) == 0  # fmt: skip
    assert "Windows-1251 (Cyrillic) (as chosen)" in capsys.readouterr().out
    assert "Иванов" in out.read_text(encoding="utf-8")


def test_an_unknown_encoding_is_one_clear_line(tmp_path, capsys) -> None:
    source = tmp_path / "ru.csv"
    _russian_customers(source)
    assert cli.main(["choose-k", str(source), "--encoding", "klingon"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "klingon" in err[0] and "Windows-1251 (Cyrillic)" in err[0]


def test_segment_says_what_it_left_out_and_shows_outcomes_per_segment(runs) -> None:
    result = runs["churn"]
    _ok(result)
    out = result.stdout
    assert "\nFeatures: Balance, Age, Products\n" in out
    assert "Left out: RowNumber — row number" in out
    assert "Left out: CustomerId — customer ID" in out
    assert "Left out: Exited — outcome column" in out
    assert "Outcomes per segment" in out and "Exited: share of 1" in out
    assert "e+" not in out  # balances in the hundred thousands, printed plainly
    assert "1 rows" not in out and "1 cells" not in out
    included = runs["churn_included"]
    _ok(included)
    assert "\nFeatures: Balance, Age, Products, Exited\n" in included.stdout
    assert "Outcomes per segment" not in included.stdout


def test_segment_imports_only_what_it_needs(tmp_path):
    """Model files (skops), charts (plotly) and Parquet datasets are not loaded to segment a CSV."""
    source = tmp_path / "customers.csv"
    source.write_bytes(customers_to_csv_bytes(generate_customers(200, seed=3)))
    code = (
        "import sys; from segmentation import cli; "
        f"code = cli.main(['segment', {str(source)!r}, '-o', {str(tmp_path / 'out.csv')!r}]); "
        "print(code, *(name in sys.modules for name in ('skops', 'plotly', 'pyarrow.dataset', 'sklearn.cluster')))"
    )
    done = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, check=True)
    assert done.stdout.splitlines()[-1] == "0 False False False True"


def test_a_background_import_that_fails_is_quiet_and_restores_thread_switching(capsys):
    before = sys.getswitchinterval()
    cli.common.import_in_background("segmentation.no_such_module")
    for thread in [t for t in threading.enumerate() if t.name == "import segmentation.no_such_module"]:
        thread.join()
    assert sys.getswitchinterval() == before
    assert capsys.readouterr().err == ""
