"""Scoring on Spark gives every customer the segment local scoring gives (one shared local[2] session)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from segmentation import Settings, segment
from segmentation.io.synthetic import generate_customers
from segmentation.report.errors import SegmentationError
from segmentation.reuse.modelfile import model_bytes
from segmentation.scale.parquet import dataset_from_arrow, score_parquet
from segmentation.scale.spark import score_parquet_on_spark

pytestmark = pytest.mark.spark


def test_spark_and_local_scoring_agree_row_for_row(spark, tmp_path: Path) -> None:
    table = pa.Table.from_pandas(generate_customers(5_000, seed=4), preserve_index=False)
    folder = tmp_path / "customers"
    folder.mkdir()
    for i in range(3):  # a dataset in several files, as Spark jobs write them
        pq.write_table(table.slice(i * 1_700, 1_700), folder / f"part-{i}.parquet")
    fit = segment(dataset_from_arrow(table.slice(0, 2_000)), Settings(n_clusters=4))
    model = model_bytes(fit)

    score_parquet(folder, tmp_path / "local.parquet", model)
    rows = score_parquet_on_spark(folder, tmp_path / "spark", model, spark=spark)

    local = pq.read_table(tmp_path / "local.parquet").to_pandas()
    remote = pq.read_table(tmp_path / "spark").to_pandas()
    assert rows == len(local) == 5_000
    merged = local.merge(remote, on="customer_id", suffixes=("_local", "_spark"))
    assert len(merged) == 5_000
    for column in ("segment", "segment_name", "segment_fit"):
        assert (merged[f"{column}_local"].fillna("") == merged[f"{column}_spark"].fillna("")).all(), column
    assert np.array_equal(
        local.set_index("customer_id")
        .loc[table.column("customer_id").to_pylist(), "segment"]
        .to_numpy()[:2_000],
        fit.result.segments,
    )


def test_a_bad_model_is_refused_before_spark_starts(tmp_path: Path) -> None:
    with pytest.raises(SegmentationError) as caught:
        score_parquet_on_spark(tmp_path, tmp_path / "out", b"\x80\x04not a model")
    assert caught.value.code.startswith("model-")


def test_cli_scores_on_spark(spark, tmp_path: Path, capsys) -> None:
    from segmentation.cli import main

    source, model = tmp_path / "c.parquet", tmp_path / "m.skops"
    assert main(["generate", "-n", "2000", "-o", str(source)]) == 0
    assert main(["segment", str(source), "-o", str(tmp_path / "o.parquet"), "--save-model", str(model)]) == 0
    code = main(["score", str(source), "--model", str(model), "-o", str(tmp_path / "s"), "--engine", "spark"])
    assert code == 0 and "Scored 2,000 customers on Spark" in capsys.readouterr().out
    local = pq.read_table(tmp_path / "o.parquet").to_pandas().set_index("customer_id")["segment"]
    remote = pq.read_table(tmp_path / "s").to_pandas().set_index("customer_id")["segment"]
    assert (local.sort_index() == remote.sort_index()).all()
