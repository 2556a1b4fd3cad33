"""Every session-state key of the dashboard, in one place (widget keys included)."""

from __future__ import annotations

# Session-state keys. Keys of widgets are listed in PERSISTENT so their values
# survive page switches (Streamlit forgets a widget's state when it is not drawn).
SOURCE = "source"


UPLOAD_ERROR = "upload_error"


LAST_UPLOAD = "last_upload"  # (uploader's file id, content hash)


UPLOADER_GENERATION = "uploader_generation"


NAMES = "segment_names"


K = "k"


SCALING = "scaling"


MISSING = "missing"


PLACEHOLDERS = "placeholders"


KEEP_EXTREMES = "keep_extremes"


FEATURES = "features"


AS_CATEGORICAL = "as_categorical"


SAMPLE_SIZE = "sample_size"


SEED = "seed"


K_RANGE = "k_range"


PERSISTENT = (K, SCALING, MISSING, PLACEHOLDERS, KEEP_EXTREMES, SAMPLE_SIZE, SEED, K_RANGE)


N_ROWS = "n_rows"  # (content hash, rows) of the current data


# A saved model whose numbering and names the current segments keep (retraining "like" it).
LIKE_MODEL = "like_model"
# Order lines (pages/_orders.py)
ORDER_ORIGINS = "orders_origins"  # customers source key -> OrderOrigin
ORDERS_ERROR = "orders_error"
ORDERS_BUILD = "orders_build"
ORDERS_BACK = "orders_back"
# Widgets whose values a page reads back
FILE_ENCODING = "file_encoding"
LITERAL_QUOTES = "literal_quotes"
FILE_SHEET = "file_sheet"
WORKBOOK_SHEETS = "workbook_sheets"  # upload id -> the workbook's sheet names
UPLOAD_PREFIX = "upload_"  # the uploader's key is this plus UPLOADER_GENERATION
# Saved segmentations (pages/history.py, ui/saved.py)
REOPENED = "reopened"  # (name, data fingerprint) of the saved segmentation reopened last
SAVE_NOTICE = "save_notice"  # what the last save, rename or delete did
SPACE = "saved_space"  # "mine" or the shared space, when one is configured
