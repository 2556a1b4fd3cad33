"""Large tables: Parquet in and out, fit on a sample, score in batches, the same segments everywhere."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from sklearn.metrics import adjusted_rand_score

from segmentation import Settings, segment
from segmentation.io.formats import is_parquet
from segmentation.io.synthetic import generate_customers
from segmentation.io.tables import open_parquet, sample_rows, text_frame
from segmentation.reuse.modelfile import model_bytes
from segmentation.scale.parquet import dataset_from_arrow, output_names, score_parquet, segment_parquet


def write_customers(path: Path, n: int, *, seed: int = 3, files: int = 1) -> Path:
    table = pa.Table.from_pandas(generate_customers(n, seed=seed), preserve_index=False)
    if files == 1:
        pq.write_table(table, path)
        return path
    path.mkdir()
    step = -(-n // files)
    for i in range(files):
        pq.write_table(table.slice(i * step, step), path / f"part-{i}.parquet")
    return path


def test_parquet_is_recognised_by_name_content_or_folder(tmp_path: Path) -> None:
    file = write_customers(tmp_path / "a.parquet", 10)
    renamed = tmp_path / "export.dat"
    renamed.write_bytes(file.read_bytes())
    folder = write_customers(tmp_path / "parts", 20, files=2)
    text = tmp_path / "b.csv"
    text.write_text("a,b\n1,2\n")
    assert is_parquet(file) and is_parquet(renamed) and is_parquet(folder)
    assert not is_parquet(text)


def test_a_seeded_sample_is_the_same_rows_each_time(tmp_path: Path) -> None:
    data = open_parquet(write_customers(tmp_path / "c", 1_000, files=3))
    first, positions = sample_rows(data, 100, seed=9)
    again, _ = sample_rows(data, 100, seed=9)
    assert first.num_rows == 100 and first.equals(again)
    assert np.all(np.diff(positions) > 0)
    whole = data.to_table()
    assert (
        first.column("customer_id").to_pylist()
        == whole.take(pa.array(positions)).column("customer_id").to_pylist()
    )


def test_text_frame_writes_values_that_read_back_exactly() -> None:
    values = [0.1, 1 / 3, 1e-300, 123456789.123, None]
    frame = text_frame(pa.table({"x": pa.array(values), "n": pa.array([1, None, 3, 4, 5])}))
    assert frame["x"].iloc[4] == "" and frame["n"].iloc[1] == ""
    assert [float(v) for v in frame["x"].iloc[:4]] == values[:4]


def test_every_row_and_column_comes_back_with_its_segment(tmp_path: Path) -> None:
    source = write_customers(tmp_path / "in", 30_000, files=3)
    run = segment_parquet(source, tmp_path / "out.parquet", Settings(), fit_rows=10_000)
    out = pq.read_table(tmp_path / "out.parquet")
    original = open_parquet(source).to_table()
    assert out.num_rows == original.num_rows == run.rows == 30_000
    assert run.fit_rows == 10_000
    assert out.select(original.column_names).equals(original)
    assert out.column_names[-4:] == ["segment", "segment_name", "segment_fit", "segment_note"]
    segments = out.column("segment").to_numpy()
    assert set(np.unique(segments)) == {1, 2, 3, 4, 5}
    assert run.totals.summary()["size"].sum() == 30_000


def test_the_sample_rows_keep_the_segments_of_the_fit(tmp_path: Path) -> None:
    source = write_customers(tmp_path / "in.parquet", 20_000)
    run = segment_parquet(source, tmp_path / "out.parquet", Settings(), fit_rows=5_000)
    _, positions = sample_rows(open_parquet(source), 5_000, seed=Settings().random_state)
    scored = pq.read_table(tmp_path / "out.parquet").column("segment").to_numpy()
    assert np.array_equal(scored[positions], run.fit.segments)


@pytest.mark.slow
def test_fit_on_a_sample_agrees_with_a_fit_on_all_rows(tmp_path: Path) -> None:
    """Issue 14.3 at a smaller size: planted personas, the sample fit's segments vs the full fit's."""
    n = 200_000
    source = write_customers(tmp_path / "in.parquet", n, seed=11)
    run = segment_parquet(source, tmp_path / "out.parquet", Settings(), fit_rows=50_000)
    sampled = pq.read_table(tmp_path / "out.parquet").column("segment").to_numpy()
    full = segment(dataset_from_arrow(pq.read_table(source)), Settings())
    assert adjusted_rand_score(full.result.segments, sampled) >= 0.99
    assert run.fit_rows == 50_000


def test_scoring_a_saved_model_gives_the_same_segments_as_the_fit(tmp_path: Path) -> None:
    source = write_customers(tmp_path / "in.parquet", 3_000)
    fit = segment(dataset_from_arrow(pq.read_table(source)), Settings(n_clusters=4))
    run = score_parquet(source, tmp_path / "scored.parquet", model_bytes(fit))
    scored = pq.read_table(tmp_path / "scored.parquet")
    assert np.array_equal(scored.column("segment").to_numpy(), fit.result.segments)
    assert run.totals.rows == 3_000


def test_appended_names_never_hide_an_input_column() -> None:
    assert output_names(["segment", "segment_2", "x"]) == [
        "segment_3",
        "segment_name",
        "segment_fit",
        "segment_note",
    ]


def test_a_file_that_is_not_parquet_is_refused_with_a_code(tmp_path: Path) -> None:
    from segmentation.report.errors import SegmentationError

    bad = tmp_path / "bad.parquet"
    bad.write_bytes(b"not parquet at all")
    with pytest.raises(SegmentationError) as caught:
        segment_parquet(bad, tmp_path / "o.parquet", Settings())
    assert caught.value.code == "parquet-unreadable"


def test_cli_generates_segments_and_scores_parquet(tmp_path: Path, capsys) -> None:
    from segmentation.cli import main

    source, out, model = tmp_path / "c.parquet", tmp_path / "o.parquet", tmp_path / "m.skops"
    assert main(["generate", "-n", "3000", "-o", str(source)]) == 0
    assert pq.read_table(source).num_rows == 3000
    code = main(["segment", str(source), "-o", str(out), "--fit-rows", "1000", "--save-model", str(model)])
    printed = capsys.readouterr().out
    assert code == 0 and "fitted on a seeded random sample of 1,000 rows" in printed
    assert "Features: annual_income" in printed
    assert main(["score", str(source), "--model", str(model), "-o", str(tmp_path / "s.parquet")]) == 0
    first = pq.read_table(out).column("segment")
    assert first.equals(pq.read_table(tmp_path / "s.parquet").column("segment"))


def test_cli_refuses_mixed_formats_with_exit_2(tmp_path: Path, capsys) -> None:
    from segmentation.cli import main

    source = write_customers(tmp_path / "c.parquet", 100)
    assert main(["segment", str(source), "-o", str(tmp_path / "o.csv")]) == 2
    assert "Parquet in, Parquet out" in capsys.readouterr().err
