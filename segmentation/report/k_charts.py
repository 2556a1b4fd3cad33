"""The Choose k charts: inertia, silhouette and stability against k, the suggested k marked."""

from __future__ import annotations

import plotly.express as px
import plotly.graph_objects as go

from ..model.choose_k import KChoice

#: (column of ``KChoice.table``, chart title), in the order the page shows them.
K_CHARTS = (
    ("inertia", "Elbow: inertia (lower is tighter)"),
    ("silhouette", "Silhouette (higher is better separated)"),
    ("stability", "Stability (agreement across resamples)"),
)
SUGGESTED_COLOUR = "#0F766E"


def k_figures(choice: KChoice) -> list[tuple[str, go.Figure]]:
    """One line chart per score, by k, with a dotted line at the suggested k."""
    table = choice.table.reset_index()
    figures = []
    for name, title in K_CHARTS:
        figure = px.line(table, x="k", y=name, markers=True, title=title)
        figure.add_vline(x=choice.suggested_k, line_dash="dot", line_color=SUGGESTED_COLOUR)
        figure.update_xaxes(dtick=1)  # k is a whole number
        figure.update_layout(height=320, margin={"l": 10, "r": 10, "t": 50, "b": 10})
        figures.append((name, figure))
    return figures
