"""Score: put new customers into a saved model's segments and see what changed."""

from pathlib import PurePath

import streamlit as st

from segmentation import SegmentationError
from segmentation.i18n import _
from segmentation.report.findings import group_by_code
from segmentation.report.text import markdown_text
from segmentation.reuse.drift import shares_figure
from ui import models, routing, sources, work

routing.page_setup()
st.title(_("Score"))
st.write(
    _(
        "Put next month's customers into the segments of a saved model (download one from the "
        "**Export** page): same numbers, same names. Columns are matched by name in any order and "
        "spelling; each customer is marked `typical` or `atypical` (fits no segment well)."
    )
)

model_upload = st.file_uploader(_("1. Model file (.skops, from the Export page)"), key="score_model")
customer_upload = st.file_uploader(_("2. Customer file (CSV)"), key="score_customers")


def show_model(model) -> None:
    manifest = model.manifest
    st.caption(
        f"Model {model.model_id} · {manifest.n_clusters} segments · trained on "
        f"{manifest.training_rows:,} customers · features: "
        + markdown_text(", ".join(f.name for f in manifest.features))
    )


def show_report(scoring, report) -> None:
    left, middle, right = st.columns(3)
    left.metric(_("Customers scored"), f"{report.n_scored:,} of {report.n_rows:,}")
    middle.metric(_("Atypical"), f"{report.atypical_share:.1%}")
    right.metric(_("Segment shift (PSI)"), f"{report.psi:.3f}", help=f"{report.verdict}; below 0.1 is stable")
    for problems in group_by_code(scoring.problems).values():
        show = st.warning if problems[0].severity == "warning" else st.info
        show("\n\n".join(markdown_text(p.text) for p in problems))
    st.subheader(_("Segment shares, training and now"))
    st.plotly_chart(shares_figure(report), key="drift_shares")
    percent = st.column_config.NumberColumn(format="percent")
    st.dataframe(report.shares, column_config={"share_then": percent, "share_now": percent})
    if len(report.shifts):
        st.subheader(_("Mean shift per feature"))
        st.caption(_("How far each feature's mean moved, in standard deviations of the training customers."))
        st.dataframe(report.shifts)


def show_download(scoring, key: str, file_name: str) -> None:
    st.subheader(_("Scored customers"))
    st.write(
        "Every row and cell of your file as it was, plus `segment`, `segment_name`, `segment_fit` "
        "and, for rows that could not be scored, `segment_note`. The same file as "
        "`python -m segmentation score`."
    )
    st.download_button(
        _("Download scored customers"),
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
        _("Number the current data's segments like this model"),
        value=chosen is not None and chosen.model_id == model.model_id,
        help=_(
            "Segments of the current data that match one of the model's (by their centres) keep its "
            "number and name; the others are reported as new, the model's unmatched ones as vanished."
        ),
        key=f"like_{model.model_id}",
    )
    work.number_like(model if on else None)
    if on:
        _matched, matching = work.matched_segmentation(work.fresh_segmentation())
        if matching is not None:
            st.info("\n\n".join(markdown_text(line) for line in matching.lines()))


if model_upload is None:
    st.info(_("Choose a model file first."))
    if work.numbered_like() is not None:
        st.caption(
            _("The current segments are numbered like model {id}.").format(id=work.numbered_like().model_id)
        )
        st.button(_("Number them afresh"), on_click=work.number_like, args=(None,))
else:
    try:
        model = models.open_model(model_upload.name, model_upload.getvalue())
    except SegmentationError as exc:
        st.error(markdown_text(exc.text()))
        model = None
    if model is not None:
        show_model(model)
        show_numbering(model)
        if customer_upload is None:
            st.info(_("Now choose the customer file to score."))
        else:
            data = customer_upload.getvalue()
            key = sources.data_key(data)  # once per rerun: the scores and their download share it
            try:
                scoring, report = models.scored_customers(model, key, data)
            except SegmentationError as exc:
                st.error(markdown_text(exc.text()))
            else:
                show_report(scoring, report)
                show_download(scoring, key, customer_upload.name)
