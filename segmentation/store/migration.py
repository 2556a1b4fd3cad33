"""Migration between two periods: who moved from which segment to which, matched by customer key.

Keys are compared exactly as written in the files (``"007"`` is not ``"7"``).
A key that appears more than once in a period counts once, with its first
row's segment; how many repeats were set aside is reported.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from ..report.errors import SegmentationError
from ..report.export import guard_formula, guard_header
from ..report.text import plotly_text
from .store import Customers

NOT_SEGMENTED = 0
NOT_SEGMENTED_NAME = "not segmented"


@dataclass(frozen=True)
class Migration:
    """How the customers of ``old`` were placed in ``new``.

    Attributes
    ----------
    counts : pandas.DataFrame
        Customers in both periods: rows are old segments, columns new segments (numbers; 0 = not segmented).
    moves : pandas.DataFrame
        One row per customer in both periods: ``key``, ``old_segment``, ``new_segment``.
    new_keys, lost_keys : numpy.ndarray
        Keys only in the new period, and only in the old one.
    old_names, new_names : dict of int to str
    repeated_old, repeated_new : int
        Rows set aside because their key had appeared before in the same period.
    """

    old_label: str
    new_label: str
    counts: pd.DataFrame
    moves: pd.DataFrame
    new_keys: np.ndarray
    lost_keys: np.ndarray
    old_names: dict[int, str]
    new_names: dict[int, str]
    repeated_old: int = 0
    repeated_new: int = 0

    @property
    def n_matched(self) -> int:
        return len(self.moves)

    @property
    def n_stayed(self) -> int:
        return int((self.moves["old_segment"] == self.moves["new_segment"]).sum())

    @property
    def shares(self) -> pd.DataFrame:
        """Row shares: of each old segment's customers, the share in each new segment."""
        totals = self.counts.sum(axis=1)
        return self.counts.div(totals.where(totals > 0, 1), axis=0)

    def old_label_of(self, number: int) -> str:
        return _label(number, self.old_names)

    def new_label_of(self, number: int) -> str:
        return _label(number, self.new_names)

    def labeled(self, table: pd.DataFrame) -> pd.DataFrame:
        """``counts`` or ``shares`` with "number name" labels instead of numbers."""
        shown = table.copy()
        shown.index = pd.Index([self.old_label_of(int(n)) for n in table.index], name=f"{self.old_label} ↓")
        shown.columns = pd.Index(
            [self.new_label_of(int(n)) for n in table.columns], name=f"{self.new_label} →"
        )
        return shown

    def lines(self) -> list[str]:
        """The migration in plain lines, for the command line."""
        lines = [
            f"{self.n_matched:,} customers in both {self.old_label!r} and {self.new_label!r}; "
            f"{self.n_stayed:,} stayed in their segment ({self.n_stayed / max(self.n_matched, 1):.1%}).",
            f"{len(self.new_keys):,} new customers (only in {self.new_label!r}), "
            f"{len(self.lost_keys):,} lost (only in {self.old_label!r}).",
        ]
        for label, count in ((self.old_label, self.repeated_old), (self.new_label, self.repeated_new)):
            if count:
                lines.append(f"{count:,} repeated keys in {label!r} were counted once (first row).")
        return lines

    def movers(self, old_segment: int, new_segment: int) -> pd.DataFrame:
        """The customers who were in ``old_segment`` and are now in ``new_segment``."""
        _check_segment(old_segment, self.counts.index, self.old_label)
        _check_segment(new_segment, self.counts.columns, self.new_label)
        chosen = self.moves[
            (self.moves["old_segment"] == old_segment) & (self.moves["new_segment"] == new_segment)
        ]
        return chosen.reset_index(drop=True)

    def moves_csv(self, old_segment: int | None = None, new_segment: int | None = None) -> bytes:
        """Moves (all, or between two chosen segments) as CSV: key, both segments and names.

        Formula-safe like every export: keys and names that a spreadsheet would run get a leading ``'``.
        """
        everyone = old_segment is None or new_segment is None
        chosen = self.moves if everyone else self.movers(int(old_segment or 0), int(new_segment or 0))
        table = pd.DataFrame(
            {
                "customer_key": guard_formula(chosen["key"].astype("str")),
                "old_segment": chosen["old_segment"].to_numpy(),
                "old_segment_name": guard_formula(
                    pd.Series([self.old_names.get(int(s), "") for s in chosen["old_segment"]], dtype="str")
                ),
                "new_segment": chosen["new_segment"].to_numpy(),
                "new_segment_name": guard_formula(
                    pd.Series([self.new_names.get(int(s), "") for s in chosen["new_segment"]], dtype="str")
                ),
            }
        )
        table.columns = guard_header(list(table.columns))
        return table.to_csv(index=False).encode("utf-8")


def migrate(old: Customers, new: Customers) -> Migration:
    """Compare two periods' customers; raises ``migration-no-overlap`` when no key is in both."""
    old_frame, repeated_old = _first_per_key(old)
    new_frame, repeated_new = _first_per_key(new)
    both = old_frame.merge(new_frame, on="key", how="inner", suffixes=("_old", "_new"), sort=False)
    if both.empty:
        raise SegmentationError(
            "migration-no-overlap",
            old=old.label,
            new=new.label,
            n_old=len(old_frame),
            n_new=len(new_frame),
            example_old=str(old_frame["key"].iloc[0]) if len(old_frame) else "",
            example_new=str(new_frame["key"].iloc[0]) if len(new_frame) else "",
        )
    moves = pd.DataFrame(
        {
            "key": both["key"].to_numpy(dtype=object),
            "old_segment": both["segment_old"].to_numpy(dtype=np.int64),
            "new_segment": both["segment_new"].to_numpy(dtype=np.int64),
        }
    )
    old_numbers = _numbers(old.names, old_frame["segment"])
    new_numbers = _numbers(new.names, new_frame["segment"])
    counts = (
        pd.crosstab(moves["old_segment"], moves["new_segment"])
        .reindex(index=old_numbers, columns=new_numbers, fill_value=0)
        .astype(np.int64)
    )
    counts.index.name, counts.columns.name = "old_segment", "new_segment"
    old_keys, new_keys = set(old_frame["key"]), set(new_frame["key"])
    return Migration(
        old_label=old.label,
        new_label=new.label,
        counts=counts,
        moves=moves,
        new_keys=new_frame["key"][~new_frame["key"].isin(old_keys)].to_numpy(dtype=object),
        lost_keys=old_frame["key"][~old_frame["key"].isin(new_keys)].to_numpy(dtype=object),
        old_names=dict(old.names),
        new_names=dict(new.names),
        repeated_old=repeated_old,
        repeated_new=repeated_new,
    )


def _first_per_key(customers: Customers) -> tuple[pd.DataFrame, int]:
    frame = pd.DataFrame({"key": customers.keys.astype(object), "segment": customers.segments})
    frame = frame[frame["key"] != ""]  # an empty key cannot be followed
    unique = frame.drop_duplicates("key", keep="first")
    return unique, len(frame) - len(unique)


def _numbers(names: dict[int, str], segments: pd.Series) -> list[int]:
    """The segments of a period: its named ones, plus "not segmented" when some customer was."""
    numbers = sorted(int(n) for n in names)
    if (segments == NOT_SEGMENTED).any():
        numbers.append(NOT_SEGMENTED)
    return numbers


def _label(number: int, names: dict[int, str]) -> str:
    if number == NOT_SEGMENTED:
        return NOT_SEGMENTED_NAME
    return f"{number} {names.get(number, f'Segment {number}')}"


def _check_segment(number: int, known: pd.Index, label: str) -> None:
    if number not in known:
        raise SegmentationError(
            "migration-no-segment", label=label, segment=number, segments=", ".join(str(n) for n in known)
        )


def sankey_figure(migration: Migration) -> go.Figure:
    """Old segments on the left, new on the right, a band per (old, new) pair sized by customers."""
    old, new = list(migration.counts.index), list(migration.counts.columns)
    labels = [plotly_text(migration.old_label_of(int(n))) for n in old] + [
        plotly_text(migration.new_label_of(int(n))) for n in new
    ]
    sources, targets, values = [], [], []
    for i, o in enumerate(old):
        for j, n in enumerate(new):
            count = int(migration.counts.loc[o, n])
            if count:
                sources.append(i)
                targets.append(len(old) + j)
                values.append(count)
    figure = go.Figure(
        go.Sankey(
            node={"label": labels, "pad": 14, "thickness": 16},
            link={"source": sources, "target": targets, "value": values},
        )
    )
    figure.update_layout(
        margin={"t": 30, "b": 10, "l": 10, "r": 10},
        title_text=f"{plotly_text(migration.old_label)} → {plotly_text(migration.new_label)}",
    )
    return figure
