"""Scale: fitting on a sample of a Parquet table of any size and scoring it in batches, here or on Spark."""
