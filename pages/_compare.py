"""Segments page parts: two segments compared, and the selected customers as a file."""

from __future__ import annotations

from functools import partial

import pandas as pd
import streamlit as st

from pages._tables import number_column
from segmentation import Segmentation
from segmentation.model.compare import compare_segments
from segmentation.report.lists import rows_csv, segment_csv
from segmentation.report.text import markdown_text
from ui import work

OTHERS = 0  # the second choice "all other segments"
SHOWN_FEATURES = 10


def selection_download(seg: Segmentation, rows: list[int], names: dict[int, str], file_name: str) -> None:
    """The box or lasso selection as its own CSV, like the labeled export."""
    st.download_button(
        f"Download the {len(rows):,} selected customers",
        rows_csv(seg, rows, names),
        file_name=file_name,
        mime="text/csv",
        key="download_selection",
        on_click="ignore",
    )


def compare_view(seg: Segmentation, names: dict[int, str]) -> None:
    """Pick two segments (or one against all the others) and see what differs most."""
    st.subheader("Compare two segments")
    numbers = list(range(1, seg.result.n_clusters + 1))

    def label(number: int) -> str:
        return (
            "All other segments"
            if number == OTHERS
            else f"{number}. {names.get(number, f'Segment {number}')}"
        )

    left, right = st.columns(2)
    first = left.selectbox("Segment", numbers, format_func=label, key="compare_first")
    second = right.selectbox(
        "Compared with",
        [OTHERS, *(n for n in numbers if n != first)],
        format_func=label,
        key="compare_second",
    )
    comparison = compare_segments(seg, first, None if second == OTHERS else second)
    first_label, second_label = label(first), label(second)
    st.caption(
        f"{markdown_text(first_label)}: {comparison.sizes[0]:,} customers · "
        f"{markdown_text(second_label)}: {comparison.sizes[1]:,} customers. Differences are in standard "
        "deviations (σ) of all customers, as in the heatmap; ±0.5 σ is a clear difference, ±1 σ a large one."
    )
    st.download_button(
        f"Download the customers of segment {first}",
        partial(segment_csv, seg, first, names),
        file_name=work.download_name(f"segment_{first}"),
        mime="text/csv",
        key="download_compared_segment",
        on_click="ignore",
    )
    ranking = comparison.ranking.head(SHOWN_FEATURES)
    shown = pd.DataFrame(
        {
            "feature": ranking["feature"],
            "differs by (σ)": ranking["difference_sd"],
            "most different value": ranking["value"],
        }
    )
    st.markdown("**Features that differ most**")
    st.dataframe(
        shown,
        column_config={"differs by (σ)": number_column("differs by (σ)", "%+.2f")},
        hide_index=True,
        width="stretch",
        key="compare_ranking",
    )
    if not comparison.numeric.empty:
        st.markdown("**Means side by side** (in the file's own units)")
        means = comparison.numeric.rename(
            columns={
                "first_mean": first_label,
                "second_mean": second_label,
                "difference_sd": "difference (σ)",
            }
        )
        st.dataframe(
            means,
            column_config={
                first_label: number_column(first_label, "%.2f"),
                second_label: number_column(second_label, "%.2f"),
                "difference (σ)": number_column("difference (σ)", "%+.2f"),
            },
            width="stretch",
            key="compare_means",
        )
    if not comparison.categories.empty:
        st.markdown("**Category shares**")
        shares = comparison.categories.rename(
            columns={
                "first_share": first_label,
                "second_share": second_label,
                "difference_points": "difference (points)",
            }
        ).drop(columns="difference_sd")
        st.dataframe(
            shares,
            column_config={
                first_label: number_column(first_label, "percent"),
                second_label: number_column(second_label, "percent"),
                "difference (points)": number_column("difference (points)", "%+.1f"),
            },
            hide_index=True,
            width="stretch",
            key="compare_shares",
        )
