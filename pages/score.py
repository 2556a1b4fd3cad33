"""Score: put new customers into a saved model's segments and see what changed."""

from pathlib import PurePath

import streamlit as st

from segmentation import SegmentationError
from segmentation.report.findings import group_by_code
from segmentation.report.glossary import explain
from segmentation.report.text import markdown_text
from segmentation.reuse.drift import shares_figure
from ui import hints, models, routing, sources, work

SMALL_TRAINING = 1_000  # customers: a model trained on fewer gives segments that may not hold

routing.page_setup()
st.title("Score")
st.write(
    "Put next month's customers into the segments of a saved model (download one from the "
    "**Export** page): same numbers, same names. Columns are matched by name in any order and "
    "spelling; each customer is marked `typical` or `atypical` (fits no segment well)."
)

model_upload = st.file_uploader("1. Model file (.skops, from the Export page)", key="score_model")
customer_upload = st.file_uploader("2. Customer file (CSV)", key="score_customers")


def show_model(model) -> None:
    manifest = model.manifest
    st.caption(
        f"Model {model.model_id} · {manifest.n_clusters} segments · trained on "
        f"{manifest.training_rows:,} customers · features: "
        + markdown_text(", ".join(f.name for f in manifest.features))
    )
    if manifest.training_rows < SMALL_TRAINING:
        st.warning(
            f"This model was trained on only {manifest.training_rows:,} customers (fewer than "
            f"{SMALL_TRAINING:,}): its segments may not hold for new customers. Compare the shares "
            "below with the training ones before relying on them."
        )


def show_report(scoring, report) -> None:
    left, middle, right = st.columns(3)
    left.metric("Customers scored", f"{report.n_scored:,} of {report.n_rows:,}")
    middle.metric("Atypical", f"{report.atypical_share:.1%}")
    right.metric("Segment shift (PSI)", f"{report.psi:.3f}", help=f"{report.verdict}. {explain('PSI')}")
    for problems in group_by_code(scoring.problems).values():
        show = st.warning if problems[0].severity == "warning" else st.info
        show("\n\n".join(markdown_text(p.message) for p in problems))
    st.subheader("Segment shares, training and now")
    st.plotly_chart(shares_figure(report), key="drift_shares")
    percent = st.column_config.NumberColumn(format="percent")
    st.dataframe(report.shares, column_config={"share_then": percent, "share_now": percent})
    if len(report.shifts):
        st.subheader("Mean shift per feature")
        st.caption("How far each feature's mean moved, in standard deviations of the training customers.")
        st.dataframe(report.shifts)


def show_download(scoring, key: str, file_name: str) -> None:
    st.subheader("Scored customers")
    st.write(
        "Every row and cell of your file as it was, plus `segment`, `segment_name`, `segment_fit` "
        "and, for rows that could not be scored, `segment_note`. The same file as "
        "`python -m segmentation score`."
    )
    st.download_button(
        "Download scored customers",
        models.scored_csv(key, scoring),
        file_name=f"{PurePath(file_name).stem}_scored.csv",
        mime="text/csv",
        type="primary",
        key="download_scored",
        on_click="ignore",
    )


def show_numbering(model) -> None:
    """The retraining choice: number the current data's segments like this model."""
    chosen = work.numbered_like()
    on = st.toggle(
        "Number the current data's segments like this model",
        value=chosen is not None and chosen.model_id == model.model_id,
        help="Segments of the current data that match one of the model's (by their centres) keep its "
        "number and name; the others are reported as new, the model's unmatched ones as vanished.",
        key=f"like_{model.model_id}",
    )
    work.number_like(model if on else None)
    if on:
        _, matching = work.matched_segmentation(work.fresh_segmentation())
        if matching is not None:
            st.info("\n\n".join(markdown_text(line) for line in matching.lines()))


if model_upload is None:
    st.info("Choose a model file first.")
    if work.numbered_like() is not None:
        st.caption(f"The current segments are numbered like model {work.numbered_like().model_id}.")
        st.button("Number them afresh", on_click=work.number_like, args=(None,))
else:
    try:
        model = models.open_model(model_upload.name, model_upload.getvalue())
    except SegmentationError as exc:
        st.error(markdown_text(hints.error_text(exc)))
        model = None
    if model is not None:
        show_model(model)
        show_numbering(model)
        if customer_upload is None:
            st.info("Now choose the customer file to score.")
        else:
            data = customer_upload.getvalue()
            key = sources.data_key(data)  # once per rerun: the scores and their download share it
            try:
                scoring, report = models.scored_customers(model, key, data)
            except SegmentationError as exc:
                st.error(markdown_text(hints.error_text(exc)))
            else:
                show_report(scoring, report)
                show_download(scoring, key, customer_upload.name)
