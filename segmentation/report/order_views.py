"""What the order-lines views show: the RFM cross table and the order lines with their segments."""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from ..model.analysis import Segmentation
from ..model.segment_name import segment_name
from ..orders.customers import CustomerTable
from ..orders.rfm import SEGMENT_NAMES
from ..prepare.dataset import Dataset
from .export import labeled_csv

NOT_SEGMENTED = "the customer was not segmented"


def rfm_table(seg: Segmentation, names: Mapping[int, str]) -> pd.DataFrame | None:
    """Customers per KMeans segment (rows) and RFM segment (columns), or None without RFM segments.

    RFM segments come in their usual order (Champions first), any other value after them.
    """
    if "rfm_segment" not in seg.dataset.raw.columns:
        return None
    segments = pd.Series(seg.result.segments)
    kept = segments > 0
    rows = segments[kept].map(lambda s: segment_name(names, s))
    rfm = seg.dataset.raw["rfm_segment"].reset_index(drop=True)[kept]
    table = pd.crosstab(rows.to_numpy(), rfm.astype(str).to_numpy())
    ordered = [name for name in SEGMENT_NAMES if name in table.columns]
    table = table[ordered + [c for c in table.columns if c not in ordered]]
    table.index.name = "segment"
    return table


def order_lines_csv(
    lines: Dataset, built: CustomerTable, seg: Segmentation, names: Mapping[int, str]
) -> bytes:
    """The original order lines, every cell as read, each with its customer's segment.

    A line whose customer was built but not segmented says so in ``segment_note``.
    """
    segments = built.line_segments(seg.result.segments)
    notes = built.line_notes.copy()
    notes[(segments == 0) & (notes == "")] = NOT_SEGMENTED
    return labeled_csv(lines.raw, segments, names, notes=notes, delimiter=lines.read_report.delimiter)
