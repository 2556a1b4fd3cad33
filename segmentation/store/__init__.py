"""Saved segmentations: an embedded SQLite file by default, or any SQLAlchemy database (PostgreSQL).

``open_store`` finds the store (``SEGMENTATION_STORE_URL``, else a file in
``SEGMENTATION_DATA_DIR``), creates or migrates its schema forward, and
returns a ``Store``. Every save, rename and delete is one transaction.
"""
