"""Lists per segment, the report and two segments compared, on the pages (Streamlit's AppTest).

Each download is compared with what the core makes from the same data, and the
comparison tables with ``compare_segments``.
"""

from __future__ import annotations

import io
import zipfile
from types import SimpleNamespace

import pytest
import streamlit as st

from segmentation import Settings, load, segment
from segmentation.io.synthetic import customers_to_csv_bytes, generate_customers
from segmentation.model.compare import compare_segments
from segmentation.report.lists import rows_csv, segment_csv, segments_zip
from segmentation.reuse.modelfile import model_id
from tests.pages.apptest import goto, open_app
from tests.report.test_html import read


@pytest.fixture(scope="module")
def expected():
    """What the app segments on first open: 100 synthetic customers, seed 42, the default settings."""
    return segment(load(customers_to_csv_bytes(generate_customers(100, seed=42))), Settings())


def test_export_offers_each_segment_every_segment_and_the_report(captured, expected):
    at = goto(open_app(), "pages/export.py")
    labels = [b.label for b in at.download_button]
    assert {
        "Download this segment's customers",
        "Download every segment (zip)",
        "Download report (.html)",
    } <= set(labels)
    assert captured["synthetic_customers_segment_1.csv"] == segment_csv(expected, 1)
    archive = zipfile.ZipFile(io.BytesIO(captured["synthetic_customers_segments.zip"]))
    assert archive.namelist() == zipfile.ZipFile(io.BytesIO(segments_zip(expected))).namelist()
    for name in archive.namelist():
        assert archive.read(name) == zipfile.ZipFile(io.BytesIO(segments_zip(expected))).read(name)

    report = read(captured["synthetic_customers_report.html"])
    assert dict(report.tables["facts"])["File"] == "Synthetic customers (seed 42)"
    saved = model_id(captured["synthetic_customers_model.skops"])
    assert dict(report.tables["settings-table"])["Model id"] == saved
    sizes = [int(row[2].replace(",", "")) for row in report.tables["segment-summary"][1:]]
    assert sizes == list(expected.profiles.summary["size"])


def test_the_segment_select_box_picks_the_list(captured, expected):
    at = goto(open_app(), "pages/export.py")
    box = at.selectbox(key="list_segment")
    assert box.options[2].startswith(f"3. {expected.names[3]} (")
    box.set_value(3).run()
    assert not at.exception
    assert captured["synthetic_customers_segment_3.csv"] == segment_csv(expected, 3)


def test_the_report_has_the_k_curves_once_choose_k_computed_them(captured):
    at = open_app()
    at.session_state["k_range"] = (2, 5)  # a range of its own: no other test has these scores cached
    goto(at, "pages/choose_k.py")
    at.button[0].click().run()  # Compute
    goto(at, "pages/export.py")
    scores = read(captured["synthetic_customers_report.html"]).tables["k-scores"]
    assert [row[0] for row in scores[1:]] == ["2", "3", "4", "5"]
    assert any("With the scores per k" in c.value for c in at.caption)


def test_compare_two_segments_shows_the_core_s_numbers(captured, expected):
    at = goto(open_app(), "pages/segments.py")
    at.selectbox(key="compare_first").set_value(2).run()
    at.selectbox(key="compare_second").set_value(4).run()
    assert not at.exception
    comparison = compare_segments(expected, 2, 4)
    means = next(d.value for d in at.dataframe if "difference (σ)" in d.value.columns)
    assert list(means.index) == list(comparison.numeric.index)
    assert means["difference (σ)"].tolist() == pytest.approx(comparison.numeric["difference_sd"].tolist())
    first = next(c for c in means.columns if c.startswith("2. "))
    assert means[first].tolist() == pytest.approx(comparison.numeric["first_mean"].tolist())
    ranking = next(d.value for d in at.dataframe if "differs by (σ)" in d.value.columns)
    assert ranking["feature"].tolist() == comparison.ranking["feature"].head(10).tolist()
    assert captured["synthetic_customers_segment_2.csv"] == segment_csv(expected, 2)
    shares = next(d.value for d in at.dataframe if "difference (points)" in d.value.columns)
    assert shares["difference (points)"].tolist() == pytest.approx(
        comparison.categories["difference_points"].tolist()
    )


def test_compare_one_segment_with_all_the_others(expected):
    at = goto(open_app(), "pages/segments.py")
    at.selectbox(key="compare_first").set_value(1).run()
    assert at.selectbox(key="compare_second").value == 0  # "All other segments" comes first
    comparison = compare_segments(expected, 1)
    means = next(d.value for d in at.dataframe if "difference (σ)" in d.value.columns)
    others = next(c for c in means.columns if c == "All other segments")
    assert means[others].tolist() == pytest.approx(comparison.numeric["second_mean"].tolist())
    assert any(f"{comparison.sizes[1]:,} customers" in c.value for c in at.caption)


def test_a_box_selection_is_offered_as_its_own_file(captured, expected, monkeypatch):
    """The chart's selection event as Streamlit returns it; the page turns it into a file."""
    original = st.plotly_chart
    rows = [5, 17, 42]

    def plotly_chart(figure, *args, on_select="ignore", **kwargs):
        original(figure, *args, on_select=on_select, **kwargs)
        if on_select == "ignore":
            return None
        points = [{"customdata": [row, f"C{row}"]} for row in rows]
        return SimpleNamespace(selection=SimpleNamespace(points=points))

    monkeypatch.setattr(st, "plotly_chart", plotly_chart)
    at = goto(open_app(), "pages/segments.py")
    assert "Download the 3 selected customers" in [b.label for b in at.download_button]
    assert captured["synthetic_customers_selection.csv"] == rows_csv(expected, rows)
