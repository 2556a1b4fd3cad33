"""Choose k: how segment quality and stability change with the number of segments."""

import plotly.express as px
import streamlit as st

from segmentation.i18n import _, formats
from segmentation.model import settings
from ui import keys, routing, work

routing.page_setup()
st.title(_("Choose k"))
st.write(
    _(
        "Fits the model for each number of segments and scores it. Look for the bend of the "
        "elbow, a high silhouette, and stability close to 1."
    )
)

low, high = st.slider(_("Range of k"), settings.K_MIN, settings.K_MAX, key=keys.K_RANGE)
# Only its size is kept: Compute may wait for its turn, and should not hold the segmentation meanwhile.
n_usable = work.current_segmentation().report.n_usable
choice = work.cached_k_choice(low, high)

if st.button(_("Compute"), type="primary", disabled=choice is not None or low == high):
    bar = st.progress(0.0, text=_("Scoring…"))
    choice = work.choose_k(low, high, progress=lambda f, msg: bar.progress(f, text=msg))
    bar.empty()


if choice is None:
    st.info(
        _("Press **Compute** to score k from {low} to {high}. It takes a few seconds.").format(
            low=low, high=high
        )
    )
else:
    table = choice.table.reset_index()
    charts = [
        ("inertia", _("Elbow: inertia (lower is tighter)")),
        ("silhouette", _("Silhouette (higher is better separated)")),
        ("stability", _("Stability (agreement across resamples)")),
    ]
    for column, (name, title) in zip(st.columns(3), charts, strict=False):
        fig = px.line(table, x="k", y=name, markers=True, title=title)
        fig.add_vline(x=choice.suggested_k, line_dash="dot", line_color="#0F766E")
        fig.update_xaxes(dtick=1)  # k is a whole number
        fig.update_layout(height=320, margin={"l": 10, "r": 10, "t": 50, "b": 10})
        column.plotly_chart(fig, width="stretch", key=f"k_{name}")

    st.success(_("Suggested k = {k}.").format(k=choice.suggested_k) + f" {choice.reason}")
    if choice.n_rows_scored < n_usable:
        st.caption(
            _("Scored on a sample of {scored} of {total} customers.").format(
                scored=formats.integer(choice.n_rows_scored), total=formats.integer(n_usable)
            )
        )
    with st.expander(_("All scores")):
        st.dataframe(choice.table, width="stretch")

    st.button(
        _("Use k = {k}").format(k=choice.suggested_k),
        on_click=work.use_k,
        args=(choice.suggested_k,),
        disabled=st.session_state[keys.K] == choice.suggested_k,
        help=_("Sets the number of segments on the Segments page."),
    )
    if st.session_state[keys.K] == choice.suggested_k:
        st.caption(_("The Segments page uses k = {k}.").format(k=choice.suggested_k))
