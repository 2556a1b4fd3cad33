"""Choose k: how segment quality and stability change with the number of segments."""

import streamlit as st

from segmentation.model import settings
from segmentation.report.glossary import explain, glossary_markdown
from segmentation.report.k_charts import k_figures
from ui import keys, routing, work

routing.page_setup()
st.title("Choose k")
st.write(
    "Fits the model for each number of segments and scores it. Look for the bend of the "
    "elbow, a high silhouette, and stability close to 1."
)

low, high = st.slider("Range of k", settings.K_MIN, settings.K_MAX, key=keys.K_RANGE)
# Only its size is kept: Compute may wait for its turn, and should not hold the segmentation meanwhile.
n_usable = work.current_segmentation().report.n_usable
choice = work.cached_k_choice(low, high)

if st.button("Compute", type="primary", disabled=choice is not None or low == high):
    bar = st.progress(0.0, text="Scoring…")
    choice = work.choose_k(low, high, progress=lambda f, msg: bar.progress(f, text=msg))
    bar.empty()


if choice is None:
    st.info(f"Press **Compute** to score k from {low} to {high}. It takes a few seconds.")
else:
    for column, (name, fig) in zip(st.columns(3), k_figures(choice), strict=True):
        column.plotly_chart(fig, width="stretch", key=f"k_{name}")

    st.success(f"Suggested k = {choice.suggested_k}. {choice.reason}")
    if choice.structure_note:
        st.warning(choice.structure_note)
    if choice.n_rows_scored < n_usable:
        st.caption(f"Scored on a sample of {choice.n_rows_scored:,} of {n_usable:,} customers.")
    with st.expander("All scores"):
        st.dataframe(
            choice.table,
            column_config={
                "inertia": st.column_config.NumberColumn("inertia", help=explain("inertia")),
                "silhouette": st.column_config.NumberColumn(
                    "silhouette", format="%.3f", help=explain("silhouette")
                ),
                "calinski_harabasz": st.column_config.NumberColumn(
                    "Calinski-Harabasz", help=explain("Calinski-Harabasz")
                ),
                "davies_bouldin": st.column_config.NumberColumn(
                    "Davies-Bouldin", format="%.3f", help=explain("Davies-Bouldin")
                ),
                "stability": st.column_config.NumberColumn(
                    "stability", format="%.3f", help=explain("stability")
                ),
            },
            width="stretch",
        )
    with st.expander("What the scores mean"):
        st.markdown(
            glossary_markdown(["inertia", "silhouette", "stability", "Calinski-Harabasz", "Davies-Bouldin"])
        )

    st.button(
        f"Use k = {choice.suggested_k}",
        on_click=work.use_k,
        args=(choice.suggested_k,),
        disabled=st.session_state[keys.K] == choice.suggested_k,
        help="Sets the number of segments on the Segments page.",
    )
    if st.session_state[keys.K] == choice.suggested_k:
        st.caption(f"The Segments page uses k = {choice.suggested_k}.")
