"""Reading: bytes and files into exact text tables (encoding, dialect, parsing), Parquet tables, synthetic customers."""
