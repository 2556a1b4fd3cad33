"""The report to send: one self-contained HTML file that opens offline in any browser.

Everything is inside the file: the tables, Plotly's JavaScript (inlined once)
and the interactive scatter and heatmap drawn by the dashboard's own figure
code. Nothing is fetched: no font, stylesheet, image or CDN script, and a
Content-Security-Policy in the page forbids it too. Text from the file (its
name, headers, cells, segment names) goes through Jinja's autoescaping after
its controls are made visible (``text.visible_controls``), so a header such as
``<img src=x onerror=alert(1)>`` reads as that text and does nothing.

The sections a run may lack (k scores, outcome rates, rules) are shown only
when the run has them; ``SEGMENT_PARTS`` lists the per-segment parts.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import plotly.graph_objects as go
from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup
from plotly.offline import get_plotlyjs
from plotly.subplots import make_subplots

from ..model.segment_name import segment_name
from ..prepare.features import seed_columns
from . import heatmap, scatter
from .html_segments import (
    Table,
    count_text,
    number_text,
    outcome_text,
    rules_agreement,
    segment_context,
    share_text,
)
from .text import shorten, visible_controls

if TYPE_CHECKING:
    from ..model.analysis import Segmentation
    from ..model.choose_k import KChoice

TEMPLATES = Path(__file__).parent / "templates"
TEMPLATE = "report.html.j2"
#: Points drawn in the report's scatter, sampled evenly within each segment as on the page.
REPORT_POINTS = 2_000
MAX_REPORT_BYTES = (
    5_000_000  # the size a report may be sent by e-mail at; Plotly's JavaScript is 4.85 MB of it
)
MIN_POINTS = 200
FEWER_POINTS = 0.7  # each try of a report over its size limit draws this share of the points
REPORT_ID = 16  # characters of a customer id in the hover text: keeps the file small whatever the ids
TEMPLATE_NAME = "plotly_white"
CHART_CONFIG = {"displaylogo": False, "responsive": True}
LEFT_OUT_CODE = "left-out"  # shown in the features section, with its reason
SEVERITY_ORDER = {"error": 0, "warning": 1, "info": 2}


def report_html(
    run: Segmentation,
    *,
    source_name: str,
    names: Mapping[int, str] | None = None,
    k_choice: KChoice | None = None,
    model_id: str | None = None,
    generated: datetime | None = None,
    max_points: int = REPORT_POINTS,
    max_bytes: int = MAX_REPORT_BYTES,
) -> str:
    """The whole report as one HTML document.

    Parameters
    ----------
    run : Segmentation
        The result to report.
    source_name : str
        The input's file name as the user knows it.
    names : mapping of int to str, optional
        Segment names as edited; the run's own names fill the rest.
    k_choice : KChoice, optional
        The scores per k, when they were computed: drawn as curves.
    model_id : str, optional
        The id of the model file saved for this run.
    generated : datetime, optional
        When the report was made (default: now, UTC).
    max_points : int
        Customers drawn in the scatter at most (an even sample of each segment).
    max_bytes : int
        The file's size limit: when the tables of a wide file leave too little
        room, the scatter draws fewer customers until the file fits (or only
        ``MIN_POINTS`` are left).
    """
    names = {**run.names, **dict(names or {})}
    context = {
        "source_name": source_name,
        "generated": (generated or datetime.now(UTC)).strftime("%Y-%m-%d %H:%M UTC"),
        "plotly_js": Markup(_plotly_js()),
        **_input_context(run),
        **_feature_context(run),
        **_k_context(run, k_choice),
        **_overview_context(run, names, max_points),
        "rules_agreement": rules_agreement(run),
        "segments": [segment_context(run, number, names) for number in run.profiles.summary.index],
        "settings": _settings_rows(run),
        "model_id": model_id or "not saved",
    }
    template = _environment().get_template(TEMPLATE)
    html = template.render(context)
    while len(html.encode()) > max_bytes and max_points > MIN_POINTS:
        max_points = max(MIN_POINTS, int(max_points * FEWER_POINTS))
        context["scatter"], context["scatter_caption"] = _scatter(run, names, max_points)
        html = template.render(context)
    return html


def _environment() -> Environment:
    return Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=select_autoescape(default=True, default_for_string=True),
        finalize=_visible,
        keep_trailing_newline=True,
    )


def _visible(value: Any) -> Any:
    """Every text printed by the template with its controls shown as ``<U+XXXX>`` (then escaped)."""
    if isinstance(value, Markup) or not isinstance(value, str):
        return value
    return visible_controls(value)


def _plotly_js() -> str:
    return get_plotlyjs()


def _figure_html(figure: go.Figure, div_id: str) -> Markup:
    """A figure as a ``<div>`` and its drawing script; Plotly's JSON is safe inside a script.

    The template is named: a process that imported Streamlit has made its own
    the default, whose colours and margins only Streamlit's page fills in.
    """
    figure.update_layout(template=TEMPLATE_NAME)
    html = figure.to_html(
        full_html=False, include_plotlyjs=False, config=CHART_CONFIG, div_id=div_id, validate=False
    )
    return Markup(html)


# ---------------------------------------------------------------- sections


def _input_context(run: Segmentation) -> dict[str, object]:
    report = run.dataset.read_report
    segmented = int((run.result.segments > 0).sum())
    problems = sorted(
        (p for p in run.report.problems if p.code != LEFT_OUT_CODE),
        key=lambda p: SEVERITY_ORDER.get(p.severity, 3),
    )
    return {
        "n_rows": count_text(run.dataset.n_rows),
        "n_columns": count_text(report.n_columns),
        "encoding": report.encoding + ("" if report.encoding_detected else " (as chosen)"),
        "delimiter": report.delimiter_name + ("" if report.delimiter_detected else " (assumed)"),
        "line_ending": report.line_ending,
        "read_notes": report.describe()[2:],  # past the size and format lines shown in the table
        "n_segmented": count_text(segmented),
        "n_not_segmented": count_text(run.dataset.n_rows - segmented),
        "n_segments": run.result.n_clusters,
        "findings": [{"severity": p.severity, "title": p.title, "message": p.message} for p in problems],
    }


def _feature_context(run: Segmentation) -> dict[str, object]:
    selection = run.selection
    features = [{"name": n, "kind": "number"} for n in selection.numeric]
    features += [{"name": n, "kind": "category"} for n in selection.categorical]
    left_out = [{"name": n, "reason": r} for n, r in selection.excluded.items()]
    return {"features": features, "left_out": left_out}


def _k_context(run: Segmentation, choice: KChoice | None) -> dict[str, object]:
    k = run.result.n_clusters
    if choice is None:
        return {
            "k_text": f"k = {k} segments, as set; the scores of other numbers of segments "
            "were not computed for this report.",
            "k_scores": None,
        }
    text = f"k = {k} segments. Suggested by the scores: k = {choice.suggested_k}. {choice.reason}"
    table = choice.table.reset_index()
    rows = [[str(int(r["k"]))] + [number_text(r[c]) for c in table.columns[1:]] for _, r in table.iterrows()]
    return {
        "k_text": text,
        "k_scores": Table(["k", *map(str, table.columns[1:])], rows),
        "k_chart": _figure_html(_k_figure(choice), "k-curves"),
    }


def _k_figure(choice: KChoice) -> go.Figure:
    charts = [
        ("inertia", "Elbow: inertia (lower is tighter)"),
        ("silhouette", "Silhouette (higher is better)"),
        ("stability", "Stability (agreement across resamples)"),
    ]
    figure = make_subplots(rows=1, cols=3, subplot_titles=[title for _, title in charts])
    for i, (column, _) in enumerate(charts, start=1):
        figure.add_trace(
            go.Scatter(x=list(choice.table.index), y=choice.table[column], mode="lines+markers", name=column),
            row=1,
            col=i,
        )
        figure.add_vline(x=choice.suggested_k, line_dash="dot", line_color="#0F766E", row=1, col=i)
    figure.update_xaxes(dtick=1)
    figure.update_layout(height=320, showlegend=False, margin={"l": 10, "r": 10, "t": 50, "b": 10})
    return figure


def _overview_context(run: Segmentation, names: dict[int, str], max_points: int) -> dict[str, object]:
    summary = run.profiles.summary
    means = [c for c in summary.columns if c not in ("size", "share")]
    rows = [
        {
            "number": number,
            "name": segment_name(names, number),
            "size": count_text(summary.at[number, "size"]),
            "share": share_text(summary.at[number, "share"]),
            "means": [number_text(summary.at[number, c]) for c in means],
        }
        for number in map(int, summary.index.to_numpy())
    ]
    outcomes = run.profiles.outcomes
    outcome_rows = (
        [
            {"number": number, "cells": [outcome_text(c, outcomes.at[number, c]) for c in outcomes.columns]}
            for number in map(int, outcomes.index.to_numpy())
        ]
        if not outcomes.empty
        else []
    )
    overall = getattr(run.profiles, "outcome_overall", None)  # every customer's rate, when profiled
    if outcome_rows and overall is not None and set(outcomes.columns) <= set(overall.index):
        cells = [outcome_text(c, overall[c]) for c in outcomes.columns]
        outcome_rows.append({"number": "All customers", "cells": cells})
    scatter_html, caption = _scatter(run, names, max_points)
    return {
        "mean_columns": means,
        "summary_rows": rows,
        "outcome_columns": list(outcomes.columns) if not outcomes.empty else [],
        "outcome_rows": outcome_rows,
        "heatmap": _figure_html(heatmap.differences_figure(run.profiles.differences, names), "heatmap"),
        "scatter": scatter_html,
        "scatter_caption": caption,
    }


def _scatter(run: Segmentation, names: dict[int, str], max_points: int) -> tuple[Markup | str, str]:
    numeric = run.selection.numeric
    rows = scatter.sample_rows(run.result.segments, max_points)
    if len(numeric) >= 2:
        x, y = _default_axes(run)
        data = scatter.scatter_data(run, x, y, names, rows=rows)
    else:
        data = scatter.scatter_data(run, "", "", names, projection=scatter.pca_projection(run), rows=rows)
    # A file to send: the drawn axes and a shortened id, not six more columns, so its size is bounded.
    ids = data.points[data.id_column].astype(str).map(lambda text: shorten(text, REPORT_ID))
    data = replace(data, hover=[], points=data.points.assign(**{data.id_column: ids}))
    drawable = data.n_segmented - data.n_unplaced
    if data.n_shown < drawable:
        caption = (
            f"Showing {data.n_shown:,} of {data.n_segmented:,} customers (an even sample of each segment)."
        )
    else:
        caption = f"Showing all {drawable:,} segmented customers."
    if data.n_unplaced:
        caption += f" {data.n_unplaced:,} with no value for {data.x} or {data.y} are not drawn."
    figure = _as_svg(scatter.scatter_figure(data))
    figure.update_layout(dragmode="zoom")
    return _figure_html(figure, "scatter"), caption


def _as_svg(figure: go.Figure) -> go.Figure:
    """The figure with WebGL traces drawn as SVG: a file opens where WebGL is off, and prints.

    The report draws at most a few thousand points, which SVG draws quickly.
    """
    traces = [
        go.Scatter({key: value for key, value in trace.to_plotly_json().items() if key != "type"})
        if isinstance(trace, go.Scattergl)
        else trace
        for trace in figure.data
    ]
    return go.Figure(data=traces, layout=figure.layout)


def _default_axes(run: Segmentation) -> tuple[str, str]:
    """The two numeric features that separate the segments most (highest η²), as the page opens."""
    numeric = run.selection.numeric
    seed = seed_columns(numeric)
    if "annual_income" in seed and "average_order_value" in seed:
        return seed["annual_income"], seed["average_order_value"]
    ranked = [f for f in run.profiles.separation["feature"] if f in numeric]
    ranked += [f for f in numeric if f not in ranked]
    return ranked[0], ranked[1]


def _settings_rows(run: Segmentation) -> list[dict[str, str]]:
    settings = run.settings
    features = ", ".join(settings.features) if settings.features else "proposed automatically"
    rows = [
        ("Number of segments (k)", str(settings.n_clusters)),
        ("Scaling", settings.scaling),
        (
            "Gaps in features",
            {"impute": "filled (median, most frequent value)", "exclude": "rows with a gap left unsegmented"}[
                settings.missing
            ],
        ),
        ("Random seed", str(settings.random_state)),
        ("Features", features),
        ("Numbers treated as categories", ", ".join(settings.as_categorical) or "none"),
        ("Most categories for a text column", str(settings.max_categories)),
        ("Outcome columns as features", "yes" if settings.include_outcomes else "no"),
        ("Extreme rows in the fit", "yes" if settings.keep_extremes else "no (assigned afterwards)"),
        ("Placeholders such as n/a", "a gap" if settings.placeholders == "missing" else "a category"),
    ]
    return [{"label": label, "value": value} for label, value in rows]
