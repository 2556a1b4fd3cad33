"""segmentation.report.order_views and k_charts: what the RFM view, the order-lines download and
the Choose k charts show, computed in the core."""

from __future__ import annotations

import csv
import io

import numpy as np
import pandas as pd
import pytest

from bench.orders import order_lines_dataset
from segmentation import Settings, load, segment
from segmentation.model.choose_k import KChoice
from segmentation.orders.customers import build_customers, customer_features
from segmentation.orders.lines import propose_mapping
from segmentation.orders.rfm import SEGMENT_NAMES
from segmentation.report.k_charts import K_CHARTS, k_figures
from segmentation.report.order_views import NOT_SEGMENTED, order_lines_csv, rfm_table


@pytest.fixture(scope="module")
def built_and_run():
    lines = order_lines_dataset(6000)
    built = build_customers(lines, propose_mapping(lines))
    features = tuple(customer_features(built.customers))
    run = segment(load(built.to_csv()), Settings(n_clusters=3, features=features))
    return lines, built, run


def test_the_rfm_table_counts_every_segmented_customer_once(built_and_run) -> None:
    _, _, run = built_and_run
    names = {1: "First", 2: "Second"}
    table = rfm_table(run, names)
    segments = run.result.segments
    assert int(table.to_numpy().sum()) == int((segments > 0).sum())
    assert list(table.index) == sorted({"First", "Second", "Segment 3"} & set(table.index))
    assert table.loc["First"].sum() == (segments == 1).sum()
    rfm = run.dataset.raw["rfm_segment"].astype(str).to_numpy()
    for column in table.columns:
        assert table[column].sum() == ((rfm == column) & (segments > 0)).sum()
    known = [c for c in table.columns if c in SEGMENT_NAMES]
    assert known == [name for name in SEGMENT_NAMES if name in known]  # the usual order


def test_no_rfm_column_no_table() -> None:
    frame = pd.DataFrame({"a": np.arange(40.0) % 7, "b": np.arange(40.0) % 5})
    run = segment(load(frame.to_csv(index=False).encode()), Settings(n_clusters=2))
    assert rfm_table(run, {}) is None


def test_each_order_line_comes_back_with_its_customers_segment(built_and_run) -> None:
    lines, built, run = built_and_run
    rows = list(csv.reader(io.StringIO(order_lines_csv(lines, built, run, run.names).decode("utf-8"))))
    header, body = rows[0], rows[1:]
    assert header[: lines.raw.shape[1]] == list(lines.raw.columns)
    assert len(body) == lines.n_rows
    expected = built.line_segments(run.result.segments)
    segment_column = [row[header.index("segment")] for row in body]
    assert segment_column == [str(s) if s else "" for s in expected]
    notes = [row[header.index("segment_note")] for row in body] if "segment_note" in header else []
    assert all(n for n, s in zip(notes, expected, strict=True) if s == 0)  # every unsegmented line says why
    assert (NOT_SEGMENTED in notes) == bool(((expected == 0) & (built.line_notes == "")).any())


def test_the_k_charts_plot_each_score_and_mark_the_suggested_k() -> None:
    table = pd.DataFrame(
        {"inertia": [9.0, 5.0, 4.0], "silhouette": [0.3, 0.5, 0.4], "stability": [0.9, 0.95, 0.7]},
        index=pd.Index([2, 3, 4], name="k"),
    )
    figures = k_figures(KChoice(table, suggested_k=3, reason="", n_rows_scored=100))
    assert [name for name, _ in figures] == [name for name, _ in K_CHARTS]
    for name, figure in figures:
        assert list(figure.data[0].x) == [2, 3, 4] and list(figure.data[0].y) == table[name].tolist()
        assert [shape.x0 for shape in figure.layout.shapes] == [3]
