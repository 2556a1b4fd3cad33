"""Large tables: Parquet input and Spark."""

from ..kinds import Kind

KINDS = (
    Kind(
        "parquet-unreadable",
        "error",
        "Parquet unreadable",
        "{path!r} cannot be read as Parquet ({reason}). Give a Parquet file or a folder of Parquet files.",
    ),
    Kind(
        "spark-missing",
        "error",
        "Spark unavailable",
        "Spark cannot run here ({reason}). Install it with `pip install -r requirements-spark.txt` "
        "(it needs Java 17 or newer).",
    ),
)
