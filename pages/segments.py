"""Segments: the scatter plot, what each segment looks like, and its name."""

import pandas as pd
import streamlit as st

from pages import _orders as orders
from pages._tables import number_column
from segmentation import SCALINGS
from segmentation.i18n import N_, _, formats
from segmentation.model import settings
from segmentation.prepare.features import seed_columns
from segmentation.report import scatter
from segmentation.report.text import markdown_text, statistic_text
from ui import keys, routing, work

PCA_CHOICE = N_("PCA projection")  # an axis choice, shown translated


def axis_label(axis: str) -> str:
    return _(PCA_CHOICE) if axis == PCA_CHOICE else axis


routing.page_setup()
st.title(_("Segments"))

k_col, scaling_col, _spare = st.columns([2, 1, 1])
k_col.slider(_("Number of segments (k)"), settings.K_MIN, settings.K_MAX, key=keys.K)
scaling_col.selectbox(
    _("Scaling"),
    SCALINGS,
    key=keys.SCALING,
    help=_("How numeric features are put on a common scale before KMeans."),
)

with st.spinner(_("Finding segments…")):
    seg = work.current_segmentation()
key = work.result_key(seg)
names = work.segment_names(seg)
numeric = seg.selection.numeric
segments = seg.result.segments


# ---------------------------------------------------------------- scatter
st.subheader(_("Customers by segment"))
axes = [*numeric, PCA_CHOICE] if len(numeric) else [PCA_CHOICE]
# The origin document plots income against average order value; other files get their first two features.
seed = seed_columns(numeric)
default_x = seed.get("annual_income", axes[0])
default_y = seed.get("average_order_value", numeric[1] if len(numeric) > 1 else PCA_CHOICE)
x_col, y_col = st.columns(2)
x = x_col.selectbox(_("x axis"), axes, index=axes.index(default_x), key="scatter_x", format_func=axis_label)
y = y_col.selectbox(
    _("y axis"),
    axes,
    index=axes.index(default_y),
    key="scatter_y",
    disabled=x == PCA_CHOICE,
    format_func=axis_label,
)
use_pca = PCA_CHOICE in (x, y)

projection = None
if use_pca:
    with st.spinner(_("Projecting…")):
        projection = work.pca_projection(key, seg)
data = scatter.scatter_data(seg, x, y, names, projection=projection, rows=work.scatter_rows(key, seg))
fig = scatter.scatter_figure(data)
event = st.plotly_chart(
    fig, on_select="rerun", selection_mode=("points", "box", "lasso"), key=f"scatter_{key}", width="stretch"
)
drawable = data.n_segmented - data.n_unplaced
if data.n_shown < drawable:
    caption = _("Showing {shown} of {total} customers (an even sample of each segment).").format(
        shown=formats.integer(data.n_shown), total=formats.integer(data.n_segmented)
    )
else:
    caption = _("Showing all {n} segmented customers.").format(n=formats.integer(drawable))
if data.n_unplaced:
    caption += (
        f" {data.n_unplaced:,} with no value for {markdown_text(data.x)} or {markdown_text(data.y)} are not drawn; "
        "they are in the tables and the download."
    )
st.caption(caption + " " + _("Select points (click, box or lasso) to list them below."))

points = event.selection.points if event and event.selection else []
chosen_rows = sorted({int(p["customdata"][0]) for p in points if p.get("customdata")})
if chosen_rows:
    selected = seg.dataset.raw.iloc[chosen_rows].copy()
    selected.insert(0, "segment", [names.get(s, f"Segment {s}") for s in segments[chosen_rows]])
    st.markdown("**" + _("{n} selected customers").format(n=formats.integer(len(selected))) + "**")
    st.dataframe(selected, hide_index=True, width="stretch")

# ---------------------------------------------------------------- profiles
st.subheader(_("Segment profiles"))
st.caption(_("Size, share of customers and the mean of each numeric feature, in the file's own units."))
summary = seg.profiles.summary_with_names(names)
st.dataframe(
    summary,
    column_config={
        "name": st.column_config.TextColumn("name", width="large"),
        "size": st.column_config.NumberColumn("size", format="%d"),
        "share": st.column_config.ProgressColumn("share", format="percent", min_value=0, max_value=1),
        **{c: number_column(c, "%.2f") for c in numeric},
    },
    width="stretch",
    key="means_table",
)

st.markdown(_("**Segment names** — edit a name; it is used in the charts and the downloads."))
editor_input = pd.DataFrame(
    {"segment": summary.index, "name": summary["name"].to_numpy(), "size": summary["size"].to_numpy()}
)
edited = st.data_editor(
    editor_input, hide_index=True, disabled=["segment", "size"], key=f"names_{key}", width="stretch"
)
if work.set_segment_names(seg, dict(zip(edited["segment"].astype(int), edited["name"], strict=False))):
    st.rerun()  # redraw the charts and tables above with the new names

st.markdown(_("**How segments differ** (standard deviations from the overall mean; red above, blue below)"))
heat = work.differences_figure(key, seg, names)
st.plotly_chart(heat, width="stretch", key="heatmap")
# The chart's numbers as a table, for screen readers and narrow screens (the table scrolls).
if st.toggle(_("Show the numbers"), key="heatmap_numbers"):
    numbers = seg.profiles.differences.round(2)
    numbers.insert(0, "name", [names.get(s, "") for s in numbers.index])
    st.dataframe(numbers, width="stretch")

left, right = st.columns(2, gap="large")
with left:
    st.markdown(_("**Features that separate segments most**"))
    separation = seg.profiles.separation.head(8).copy()
    separation["f_statistic"] = separation["f_statistic"].map(statistic_text)  # inf reads "∞", not "Infinity"
    st.dataframe(
        separation,
        column_config={
            "feature": st.column_config.TextColumn("feature", width="medium"),  # long names cut, F in view
            "f_statistic": st.column_config.TextColumn("F"),
            "p_value": st.column_config.NumberColumn("p-value", format="%.2g"),
            "eta_squared": st.column_config.ProgressColumn(
                "η² (share explained)", format="%.2f", min_value=0, max_value=1
            ),
        },
        hide_index=True,
        width="stretch",
    )
with right:
    if not seg.profiles.category_mix:
        st.caption(_("No categorical features, so no category mix."))
    for feature, mix in seg.profiles.category_mix.items():
        st.markdown(
            _("**Category mix: {feature}** (share of each segment)").format(feature=markdown_text(feature))
        )
        shown = mix.copy()
        shown.index = [names.get(s, f"Segment {s}") for s in shown.index]
        st.dataframe(
            shown,
            column_config={
                "_index": st.column_config.TextColumn("segment", width="medium"),
                **{c: number_column(c, "percent", width="small") for c in shown.columns},
            },
            width="stretch",
        )

# ---------------------------------------------------------------- RFM (customers built from order lines)
orders.rfm_view(seg, names)
