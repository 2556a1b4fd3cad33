"""Charts show names from the file as plain text, shortened where long, and read years as years."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from segmentation import Settings, load, segment
from segmentation.report.heatmap import differences_figure
from segmentation.report.scatter import axis_format, scatter_data, scatter_figure
from segmentation.report.text import plotly_text, shorten, statistic_text

LONG = (
    "Naive_Bayes_Classifier_Attrition_Flag_Card_Category_Contacts_Count_12_mon_"
    "Dependent_count_Education_Level_Months_Inactive_12_mon_1"
)
HEADER = '<a href="http://evil.example/h">income</a>'
GOLD = "<a href='http://evil.example/c'>gold</a>"


@pytest.fixture(scope="module")
def run():
    rng = np.random.default_rng(4)
    n = 300
    frame = pd.DataFrame(
        {
            "id": [f"<b>{i}</b>" for i in range(n)],
            HEADER: rng.normal(50, 15, n).round(1),
            LONG: rng.normal(0, 1, n).round(3),
            "year": rng.integers(2012, 2019, n),
            "tier": rng.choice([GOLD, "silver"], n),
        }
    )
    return segment(load(frame.to_csv(index=False).encode()), Settings(n_clusters=3))


def all_text(figure) -> str:
    return figure.to_json()


def test_scatter_escapes_headers_ids_and_names_and_shortens_long_ones(run):
    names = {**run.names, 1: "<i>VIP</i> & co"}
    figure = scatter_figure(scatter_data(run, HEADER, LONG, names))
    text = all_text(figure)
    assert "<a " not in text and "<b>0</b>" not in text and "<i>VIP" not in text
    assert figure.layout.xaxis.title.text == plotly_text(shorten(HEADER, 24))
    assert len(figure.layout.yaxis.title.text) == 24
    assert "&lt;i&gt;VIP&lt;/i&gt; &amp; co" in [t.name for t in figure.data]
    hover = figure.data[0].hovertemplate
    assert LONG in hover and "&lt;a href" in hover  # full names on hover


def test_legend_is_below_the_plot_and_horizontal(run):
    figure = scatter_figure(scatter_data(run, HEADER, LONG, dict(run.names)))
    assert figure.layout.legend.orientation == "h" and figure.layout.legend.y < 0


def test_heatmap_escapes_and_shortens(run):
    figure = differences_figure(run.profiles.differences, {**run.names, 2: "<b>x</b>"})
    text = all_text(figure)
    assert "<a " not in text and "<b>x" not in text
    assert all(len(label) <= 24 or "&" in label for label in figure.data[0].x)


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        ([2012, 2015, 2018], {"tickformat": "d", "tick0": 2012.0, "dtick": 1}),
        ([1990, 2024], {"tickformat": "d"}),
        ([10, 20_000], {"tickformat": ",d"}),
        ([0.5, 2.25], {}),
    ],
)
def test_whole_number_axes_get_whole_ticks_and_years_no_separator(values, expected):
    assert axis_format(pd.Series(values)) == expected


def test_an_infinite_f_is_not_infinity():
    assert statistic_text(float("inf")) == "∞ (perfect separation)"
    assert statistic_text(1234.56) == "1,234.6"
