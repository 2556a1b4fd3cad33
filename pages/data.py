"""Data: synthetic customers or an uploaded CSV, the chosen features and data checks."""

import pandas as pd
import streamlit as st

from pages import _orders as orders
from segmentation import MISSING_POLICIES, SegmentationError
from segmentation.i18n import N_, _, formats
from segmentation.io.encoding import encoding_names
from segmentation.model.settings import PLACEHOLDER_POLICIES
from segmentation.report.findings import CATALOGUE, group_by_code
from segmentation.report.text import markdown_text
from ui import keys, routing, sources, work

DETECT = N_("Detect automatically")  # the encoding choice that lets the reader detect it; shown translated

MISSING_LABELS = {
    "impute": N_("Fill in (median / most frequent value)"),
    "exclude": N_("Leave those customers out"),
}
PLACEHOLDER_LABELS = {
    "missing": N_("A missing value"),
    "category": N_("A category of their own (text columns)"),
}

routing.page_setup()
st.title(_("Data"))

source_col, upload_col = st.columns(2, gap="large")

with source_col:
    st.subheader(_("Synthetic customers"))
    st.slider(
        _("Sample size"),
        min_value=10,
        max_value=100_000,
        step=10,
        key=keys.SAMPLE_SIZE,
        on_change=sources.refresh_synthetic,
        help=_("Number of synthetic customers to generate."),
    )
    st.number_input(
        _("Seed"),
        min_value=0,
        max_value=2**31 - 1,
        step=1,
        key=keys.SEED,
        on_change=sources.refresh_synthetic,
        help=_("The same seed always gives the same customers."),
    )
    if sources.current_source().kind != "synthetic":
        st.caption(_("Your file is in use; these settings apply to synthetic data only."))
        st.button(_("Use synthetic data instead"), on_click=sources.back_to_synthetic)

with upload_col:
    st.subheader(_("Your own file"))
    limit = sources.max_upload_mb()
    uploaded = st.file_uploader(
        _("Upload a customer CSV"),
        key=sources.uploader_key(),
        help=_("One row per customer, with a header row. Up to {limit} MB.").format(limit=limit),
    )
    st.caption(
        _(
            "A CSV or other delimited text file (any extension, or none) with a header row; up to {limit} MB. "
            "The file stays in this session's memory only."
        ).format(limit=limit)
    )
    encoding = st.selectbox(
        _("File encoding"),
        [DETECT, *encoding_names()],
        key=keys.FILE_ENCODING,
        format_func=lambda name: _("Detect automatically") if name == DETECT else name,
        help=_(
            "Detected from the file's letters unless you choose one (e.g. for a file saved in Windows-1251)."
        ),
    )
    if uploaded is not None:
        with st.spinner(_("Reading the file…")):
            chosen = None if encoding == DETECT else encoding
            sources.try_upload(uploaded.name, uploaded.getvalue(), uploaded.file_id, chosen)
        refused = sources.upload_error()
        if refused:
            name, message = refused
            st.error(
                _("**{name}** could not be used.").format(name=markdown_text(name))
                + f" {markdown_text(message)}"
            )
            st.caption(
                _("Still showing: {label}. The previous data are still in use.").format(
                    label=markdown_text(sources.current_source().label)
                )
            )

source = sources.current_source()
dataset = work.current_dataset()
proposal = work.proposed_features(source.key, dataset)

st.divider()
st.subheader(markdown_text(source.label), anchor=False)
st.markdown("  \n".join(f"- {markdown_text(line)}" for line in dataset.read_report.describe()))

# ---------------------------------------------------------------- order lines → customers
if orders.is_order_lines(source, dataset, proposal):
    orders.order_lines_section(source, dataset)
orders.customers_section()

st.subheader(_("Features"))
columns = list(dataset.columns)
current = st.session_state.get(keys.FEATURES)
chosen = st.multiselect(
    _("Columns that describe a customer"),
    columns,
    default=list(current) if current is not None else proposal.features,
    key=f"features_{source.key[:16]}",
    help=_("Proposed from the file's content; add or remove columns as you like."),
)
work.set_features(chosen, proposal)

numeric_chosen = [c for c in chosen if dataset.columns[c].info.kind == "numeric"]
as_categorical = st.multiselect(
    _("Treat as categories (numeric codes such as region numbers)"),
    numeric_chosen,
    default=[c for c in (st.session_state.get(keys.AS_CATEGORICAL) or ()) if c in numeric_chosen],
    key=f"as_categorical_{source.key[:16]}",
)
work.set_as_categorical(as_categorical)

if proposal.excluded:
    with st.expander(
        _("Left out: {n} column(s)").format(n=len(proposal.excluded)), expanded=source.kind == "upload"
    ):
        st.dataframe(
            pd.DataFrame({"column": list(proposal.excluded), "reason": list(proposal.excluded.values())}),
            hide_index=True,
            width="stretch",
        )
st.radio(
    _("Missing values"),
    MISSING_POLICIES,
    key=keys.MISSING,
    horizontal=True,
    format_func=lambda policy: _(MISSING_LABELS[policy]),
)
st.radio(
    _("Placeholders such as n/a, unknown, “Não informado”"),
    PLACEHOLDER_POLICIES,
    key=keys.PLACEHOLDERS,
    horizontal=True,
    format_func=lambda policy: _(PLACEHOLDER_LABELS[policy]),
)
st.checkbox(
    _("Keep rows with extreme values in the fit"),
    key=keys.KEEP_EXTREMES,
    help=_(
        "By default a few rows far outside the rest (a median/MAD scale) are left out of the fit, so they "
        "cannot make a segment of their own, and then given their nearest segment with a note."
    ),
)

# The preview is copied now and the page lets go of the file: the checks may wait for their
# turn behind other people's work, and a waiting page would keep the whole file in memory.
preview, n_rows = work.preview_rows(dataset), dataset.n_rows
del dataset

st.subheader(_("Data checks"))
try:
    with st.spinner(_("Checking and segmenting…")):
        seg = work.current_segmentation()
except SegmentationError as exc:
    st.error(markdown_text(exc.text()))
else:
    report = seg.report
    st.metric(
        _("Customers segmented"),
        formats.integer(report.n_usable),
        delta=_("-{n} left out").format(n=formats.integer(report.n_excluded)) if report.n_excluded else None,
        delta_color="off",
    )
    # One expander per kind of finding (its catalogue title and count), not a wall of messages.
    shown = [p for p in report.problems if p.code != "left-out"]  # left-out columns: listed above
    for code, problems in group_by_code(shown).items():
        kind = CATALOGUE[code]
        icon = {"error": ":material/error:", "warning": ":material/warning:"}.get(
            kind.severity, ":material/info:"
        )
        with st.expander(f"{_(kind.title)} ({len(problems)})", icon=icon, expanded=kind.severity == "error"):
            st.markdown("\n".join(f"- {markdown_text(p.text)}" for p in problems))
    if not shown:
        st.success(_("No problems found in the feature columns."))

st.subheader(_("Preview"))
st.caption(
    _("First {shown} of {total} rows, exactly as read.").format(
        shown=len(preview), total=formats.integer(n_rows)
    )
)
st.dataframe(preview, width="stretch", hide_index=True)
