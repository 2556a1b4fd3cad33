"""Score a Parquet table on Spark with a saved model: the same segments as local scoring.

pyspark is optional (``requirements-spark.txt``). The model file's bytes are
broadcast once; each task opens them with the same allow-listed skops loader as
the CLI (nothing in the file runs) and scores its Arrow batches with
``scale.score_batch`` through ``DataFrame.mapInArrow``, so every customer gets
exactly the segment local scoring gives. Spark writes its output as a folder
of Parquet part files, as Spark jobs do.
"""

from __future__ import annotations

import atexit
import os
import shutil
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pyarrow as pa

from ..report.errors import SegmentationError

if TYPE_CHECKING:
    from pyspark.sql import SparkSession

LOCAL_MASTER = "local[*]"
_PACKAGE = Path(__file__).resolve().parents[1]


def spark_available() -> bool:
    """Whether pyspark is installed (Java is checked when a session starts)."""
    try:
        import pyspark  # noqa: F401
    except ImportError:
        return False
    return True


def spark_session(master: str | None = None) -> SparkSession:
    """A Spark session on ``master`` (``local[*]`` by default), with this package shipped to the workers.

    Raises
    ------
    SegmentationError
        ``spark-missing`` when pyspark is not installed or Spark cannot start (e.g. no Java).
    """
    if not spark_available():
        raise SegmentationError("spark-missing", reason="pyspark is not installed")
    from pyspark.sql import SparkSession

    # Local workers must run this Python (with pandas, pyarrow and scikit-learn), not the first on PATH.
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    try:
        spark = (
            SparkSession.builder.master(master or LOCAL_MASTER)
            .appName("segmentation-score")
            .config("spark.ui.enabled", "false")
            .config("spark.sql.execution.arrow.maxRecordsPerBatch", "65536")
            .getOrCreate()
        )
    except Exception as exc:  # Java missing or the master unreachable: one clear line
        raise SegmentationError("spark-missing", reason=str(exc).strip().splitlines()[0]) from None
    _ship_package(spark)
    return spark


def _ship_package(spark: SparkSession) -> None:
    """Send this package to the executors (a zip on their Python path), as spark-submit --py-files would."""
    folder = Path(tempfile.mkdtemp(prefix="segmentation-pyfiles-"))
    atexit.register(shutil.rmtree, folder, ignore_errors=True)  # one staged copy per session, gone at exit
    staged = folder / "segmentation"
    shutil.copytree(_PACKAGE, staged, ignore=shutil.ignore_patterns("__pycache__"))
    archive = shutil.make_archive(
        str(folder / "segmentation"), "zip", root_dir=folder, base_dir="segmentation"
    )
    spark.sparkContext.addPyFile(archive)


def score_parquet_on_spark(
    source: str | Path,
    output: str | Path,
    model_data: bytes,
    *,
    master: str | None = None,
    spark: SparkSession | None = None,
) -> int:
    """Score every row of a Parquet file or folder on Spark into the folder ``output``; returns the row count.

    ``spark`` reuses a running session (tests share one); otherwise one is
    started on ``master``.
    """
    from pyspark.sql.types import LongType, StringType, StructField, StructType

    from ..reuse.modelfile import read_model
    from .parquet import output_names

    read_model(model_data)  # refuse a bad model file here, before any task starts
    session = spark or spark_session(master)
    frame = session.read.parquet(str(source))
    appended = output_names(frame.schema.names)
    schema = StructType(
        [
            *frame.schema.fields,
            StructField(appended[0], LongType()),
            *(StructField(name, StringType()) for name in appended[1:]),
        ]
    )
    broadcast = session.sparkContext.broadcast(model_data)

    def score_partition(batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
        from segmentation.reuse.modelfile import read_model
        from segmentation.scale.parquet import score_batch

        model = read_model(broadcast.value)
        for batch in batches:
            if batch.num_rows:
                yield score_batch(batch, model)[0]

    frame.mapInArrow(score_partition, schema).write.mode("overwrite").parquet(str(output))
    return int(session.read.parquet(str(output)).count())
