"""Segments: the scatter plot, what each segment looks like, and its name."""

import pandas as pd
import streamlit as st

from pages import _compare as compare
from pages import _orders as orders
from pages._tables import number_column
from segmentation import SCALINGS
from segmentation.model import settings
from segmentation.model.choose_k import continuum_note
from segmentation.model.segment_name import segment_name
from segmentation.prepare.features import seed_columns
from segmentation.report import scatter
from segmentation.report.glossary import explain, glossary_markdown
from segmentation.report.text import markdown_text
from ui import keys, routing, work

PCA_CHOICE = "PCA projection"

routing.page_setup()
st.title("Segments")

k_col, scaling_col, _ = st.columns([2, 1, 1])
k_col.slider("Number of segments (k)", settings.K_MIN, settings.K_MAX, key=keys.K)
scaling_col.selectbox(
    "Scaling",
    SCALINGS,
    key=keys.SCALING,
    help="How numeric features are put on a common scale before KMeans.",
)

with st.spinner("Finding segments…"):
    seg = work.current_segmentation()
key = work.result_key(seg)
names = work.segment_names(seg)
numeric = seg.selection.numeric
segments = seg.result.segments
profiles = seg.profiles

# ---------------------------------------------------------------- honest warnings
tiny = profiles.tiny_segments()
if tiny:
    extremes = (
        " or, on the **Data** page, leave customers with extreme values out of the fit"
        if seg.settings.keep_extremes
        else ""
    )
    st.warning(
        "\n\n".join(markdown_text(note) + "." for note in tiny.values())
        + f"\n\nTry fewer segments (the slider above){extremes}."
    )
weak = continuum_note(work.segments_silhouette(key, seg))
if weak:
    st.info(markdown_text(weak))


# ---------------------------------------------------------------- scatter
st.subheader("Customers by segment")
axes = [*numeric, PCA_CHOICE] if len(numeric) else [PCA_CHOICE]
# The origin document plots income against average order value; other files open on the two
# features that separate the segments most (largest η²), so the first view shows the segments apart.
seed = seed_columns(numeric)
# Flags and other two-valued columns draw two lines of points, not a view: features with more values first.
varied = [c for c in numeric if seg.dataset.columns[c].info.n_distinct > 2]
ranked = dict.fromkeys([*profiles.separating_features(varied), *profiles.separating_features(numeric)])
best = [*ranked, PCA_CHOICE, PCA_CHOICE]
if seg.selection.schema == "seed" and "annual_income" in seed and "average_order_value" in seed:
    default_x, default_y = seed["annual_income"], seed["average_order_value"]
else:
    default_x, default_y = best[0], best[1]
x_col, y_col = st.columns(2)
x = x_col.selectbox("x axis", axes, index=axes.index(default_x), key="scatter_x")
y = y_col.selectbox("y axis", axes, index=axes.index(default_y), key="scatter_y", disabled=x == PCA_CHOICE)
use_pca = PCA_CHOICE in (x, y)

projection = None
if use_pca:
    with st.spinner("Projecting…"):
        projection = work.pca_projection(key, seg)
data = scatter.scatter_data(seg, x, y, names, projection=projection, rows=work.scatter_rows(key, seg))
fig = scatter.scatter_figure(data)
event = st.plotly_chart(
    fig, on_select="rerun", selection_mode=("points", "box", "lasso"), key=f"scatter_{key}", width="stretch"
)
drawable = data.n_segmented - data.n_unplaced
if data.n_shown < drawable:
    caption = f"Showing {data.n_shown:,} of {data.n_segmented:,} customers (an even sample of each segment)."
else:
    caption = f"Showing all {drawable:,} segmented customers."
if data.n_unplaced:
    caption += (
        f" {data.n_unplaced:,} with no value for {markdown_text(data.x)} or {markdown_text(data.y)} are not drawn; "
        "they are in the tables and the download."
    )
st.caption(caption + " Select points (click, box or lasso) to list them below.")

points = event.selection.points if event and event.selection else []
chosen_rows = sorted({int(p["customdata"][0]) for p in points if p.get("customdata")})
if chosen_rows:
    selected = seg.dataset.raw.iloc[chosen_rows].copy()
    selected.insert(0, "segment", [segment_name(names, s) for s in segments[chosen_rows]])
    st.markdown(f"**{len(selected):,} selected customers**")
    st.dataframe(selected, hide_index=True, width="stretch")
    compare.selection_download(seg, chosen_rows, names, work.download_name("selection"))

# ---------------------------------------------------------------- profiles
st.subheader("Segment profiles")
st.caption("Size, share of customers and the mean of each numeric feature, in the file's own units.")
summary = profiles.summary_with_names(names)
summary.insert(3, "note", ["tiny: see above" if s in tiny else "" for s in summary.index])
as_rows = st.toggle(
    "Features as rows",
    value=len(numeric) > 8,
    help="One row per feature and a column per segment (by number).",
)
if as_rows:
    transposed = summary.drop(columns=["name", "note"]).T
    transposed.columns = [str(s) for s in transposed.columns]
    st.dataframe(
        transposed,
        column_config={
            "_index": st.column_config.TextColumn("feature", width="medium"),
            # Headed by number (names never cut in the middle); the name is in the header's tooltip.
            **{
                str(s): st.column_config.NumberColumn(
                    str(s), format="%.2f", help=markdown_text(names.get(s, ""))
                )
                for s in summary.index
            },
        },
        width="stretch",
        key="means_table_by_feature",
    )
else:
    st.dataframe(
        summary,
        column_config={
            "name": st.column_config.TextColumn("name", width="large"),  # names are never cut
            "size": st.column_config.NumberColumn("size", format="%d", width="small"),
            "share": st.column_config.ProgressColumn("share", format="percent", min_value=0, max_value=1),
            "note": st.column_config.TextColumn("note", width="small"),
            **{c: number_column(c, "%.2f", width="small") for c in numeric},
        },
        width="stretch",
        key="means_table",
    )

# ---------------------------------------------------------------- outcomes
rates = profiles.outcome_rates
if not rates.by_segment.empty:
    st.subheader("Outcomes per segment")
    st.caption(
        "Not used to form the segments: each outcome's rate in each segment, in all customers, "
        "and the lift. " + explain("lift")
    )
    outcome_table = rates.table()
    outcome_table.index = [str(s) for s in outcome_table.index]
    outcome_table.insert(
        0, "name", [names.get(int(s), "") if s.isdigit() else "" for s in outcome_table.index]
    )
    st.dataframe(
        outcome_table,
        column_config={
            "_index": st.column_config.TextColumn("segment", width="small"),
            "name": st.column_config.TextColumn("name", width="large"),
            **{
                c: st.column_config.NumberColumn(
                    "lift" if c.endswith("(lift)") else markdown_text(c),
                    format="%.2f×" if c.endswith("(lift)") else ("%.3g" if ": mean" in c else "percent"),
                    help=markdown_text(c),
                    width="small" if c.endswith("(lift)") else "medium",
                )
                for c in outcome_table.columns
                if c != "name"
            },
        },
        width="stretch",
        key="outcomes_table",
    )

# ---------------------------------------------------------------- rules
rules = profiles.rules
if rules is not None:
    st.subheader("Rules in plain words")
    st.caption(
        "Each segment described by a decision tree of depth 3 on the features, in the file's units. "
        + markdown_text(rules.agreement_text())
    )
    rule_table = rules.table()
    rule_table.insert(0, "name", [segment_name(names, s) for s in rule_table.index])
    st.dataframe(
        rule_table,
        column_config={
            "_index": st.column_config.NumberColumn("segment", format="%d", width="small"),
            "name": st.column_config.TextColumn("name", width="medium"),
            "rule": st.column_config.TextColumn("rule", width="large"),
            "coverage": st.column_config.NumberColumn("coverage", format="percent", help=explain("coverage")),
            "precision": st.column_config.NumberColumn(
                "precision", format="percent", help=explain("precision")
            ),
        },
        width="stretch",
        key="rules_table",
    )

st.markdown("**Segment names** — edit a name; it is used in the charts and the downloads.")
editor_input = pd.DataFrame(
    {"segment": summary.index, "name": summary["name"].to_numpy(), "size": summary["size"].to_numpy()}
)
edited = st.data_editor(
    editor_input, hide_index=True, disabled=["segment", "size"], key=f"names_{key}", width="stretch"
)
if work.set_segment_names(seg, dict(zip(edited["segment"].astype(int), edited["name"], strict=False))):
    st.rerun()  # redraw the charts and tables above with the new names

st.markdown(
    "**How segments differ** (standard deviations, σ, from the overall mean; red above, blue below)",
    help=explain("σ"),
)
heat = work.differences_figure(key, seg, names)
st.plotly_chart(heat, width="stretch", key="heatmap")

left, right = st.columns(2, gap="large")
with left:
    st.markdown("**Features that separate segments most**")
    separation = profiles.separation.head(8).copy()
    # ∞ (no spread inside segments) reads as a symbol, not "Infinity" nor a cut phrase.
    separation["f_statistic"] = ["∞" if f == float("inf") else f"{f:,.1f}" for f in separation["f_statistic"]]
    st.dataframe(
        separation,
        column_config={
            "feature": st.column_config.TextColumn("feature", width="medium"),
            "f_statistic": st.column_config.TextColumn("F", width="small", help=explain("F")),
            "p_value": st.column_config.NumberColumn(
                "p-value", format="%.2g", width="small", help=explain("p-value")
            ),
            "eta_squared": st.column_config.NumberColumn(
                "η² (share explained)", format="%.3f", width="small", help=explain("η²")
            ),
        },
        hide_index=True,
        width="stretch",
    )
with right:
    if not seg.profiles.category_mix:
        st.caption("No categorical features, so no category mix.")
    for feature, mix in seg.profiles.category_mix.items():
        st.markdown(f"**Category mix: {markdown_text(feature)}** (share of each segment)")
        shown = mix.copy()
        shown.columns = [str(c) for c in shown.columns]
        shown.insert(0, "name", [segment_name(names, s) for s in shown.index])
        st.dataframe(
            shown,
            column_config={
                "_index": st.column_config.NumberColumn("segment", format="%d", width="small"),
                "name": st.column_config.TextColumn("name", width="medium"),
                **{c: number_column(c, "percent", width="small") for c in shown.columns if c != "name"},
            },
            width="stretch",
        )

with st.expander("What the statistics mean"):
    st.markdown(
        glossary_markdown(
            ["σ", "F", "p-value", "η²", "silhouette", "lift", "coverage", "precision", "agreement"]
        )
    )

# ---------------------------------------------------------------- RFM (customers built from order lines)
orders.rfm_view(seg, names)

# ---------------------------------------------------------------- two segments compared
compare.compare_view(seg, names)
