"""Data: synthetic customers or an uploaded CSV, the chosen features and data checks."""

import pandas as pd
import streamlit as st

from pages import _orders as orders
from segmentation import MISSING_POLICIES, SegmentationError
from segmentation.io.encoding import encoding_names
from segmentation.model.settings import PLACEHOLDER_POLICIES
from segmentation.report.findings import CATALOGUE, group_by_code
from segmentation.report.text import markdown_text
from ui import hints, keys, routing, sources, work

DETECT = "Detect automatically"
FIRST_TABLE = "The first sheet holding a table"

routing.page_setup()
st.title("Data")

source_col, upload_col = st.columns(2, gap="large")

with source_col:
    st.subheader("Synthetic customers")
    st.slider(
        "Sample size",
        min_value=10,
        max_value=100_000,
        step=10,
        key=keys.SAMPLE_SIZE,
        on_change=sources.refresh_synthetic,
        help="Number of synthetic customers to generate.",
    )
    st.number_input(
        "Seed",
        min_value=0,
        max_value=2**31 - 1,
        step=1,
        key=keys.SEED,
        on_change=sources.refresh_synthetic,
        help="The same seed always gives the same customers.",
    )
    if sources.current_source().kind != "synthetic":
        st.caption("Your file is in use; these settings apply to synthetic data only.")
        st.button("Use synthetic data instead", on_click=sources.back_to_synthetic)

with upload_col:
    st.subheader("Your own file")
    limit = sources.max_upload_mb()
    uploaded = st.file_uploader(
        "Upload a customer CSV or Excel workbook",
        key=sources.uploader_key(),
        help=f"One row per customer, with a header row. Up to {limit} MB.",
    )
    st.caption(
        f"A CSV or other delimited text file (any extension, or none), or a workbook (.xlsx, .xlsm, .xls, "
        f".ods), with a header row; up to {limit} MB. "
        "The file stays in this session's memory only."
    )
    encoding = st.selectbox(
        "File encoding",
        [DETECT, *encoding_names()],
        key=keys.FILE_ENCODING,
        accept_new_options=True,
        help=(
            "Detected from the file's letters unless you choose one (e.g. for a file saved in Windows-1251). "
            "You can also type any other encoding's usual name, such as euc-jp or iso-8859-7."
        ),
    )
    literal_quotes = st.checkbox(
        'Read quotes (") as ordinary characters',
        key=keys.LITERAL_QUOTES,
        help="For a file where a stray quote opens a cell that takes in the following rows.",
    )
    sheet = None
    if uploaded is not None:
        names = sources.workbook_sheets(uploaded.file_id, uploaded.getvalue())
        if names:
            picked = st.selectbox(
                "Sheet",
                [FIRST_TABLE, *names],
                key=keys.FILE_SHEET,
                help="Every sheet of the workbook; by default the first one holding a table is read.",
            )
            sheet = None if picked == FIRST_TABLE else picked
    if uploaded is not None:
        with st.spinner("Reading the file…"):
            chosen = None if encoding == DETECT else encoding
            sources.try_upload(
                uploaded.name,
                uploaded.getvalue(),
                uploaded.file_id,
                chosen,
                literal_quotes=literal_quotes,
                sheet=sheet,
            )
        refused = sources.upload_error()
        if refused:
            name, message = refused
            st.error(f"**{markdown_text(name)}** could not be used. {markdown_text(message)}")
            st.caption(
                f"Still showing: {markdown_text(sources.current_source().label)}. "
                "The previous data are still in use."
            )

source = sources.current_source()
dataset = work.current_dataset()
proposal = work.proposed_features(source.key, dataset)

st.divider()
st.subheader(markdown_text(source.label), anchor=False)
st.markdown("  \n".join(f"- {markdown_text(line)}" for line in dataset.read_report.describe()))

# ---------------------------------------------------------------- order lines → customers
order_lines = orders.is_order_lines(source, dataset, proposal)
if order_lines:
    orders.order_lines_section(source, dataset)
orders.customers_section()

st.subheader("Features")
columns = list(dataset.columns)
current = st.session_state.get(keys.FEATURES)
chosen = st.multiselect(
    "Columns that describe a customer",
    columns,
    default=list(current) if current is not None else proposal.features,
    key=f"features_{source.key[:16]}",
    help="Proposed from the file's content; add or remove columns as you like.",
)
work.set_features(chosen, proposal)

numeric_chosen = [c for c in chosen if dataset.columns[c].info.kind == "numeric"]
as_categorical = st.multiselect(
    "Treat as categories (numeric codes such as region numbers)",
    numeric_chosen,
    default=[c for c in (st.session_state.get(keys.AS_CATEGORICAL) or ()) if c in numeric_chosen],
    key=f"as_categorical_{source.key[:16]}",
)
work.set_as_categorical(as_categorical)

if proposal.excluded:
    with st.expander(f"Left out: {len(proposal.excluded)} column(s)", expanded=source.kind == "upload"):
        st.dataframe(
            pd.DataFrame({"column": list(proposal.excluded), "reason": list(proposal.excluded.values())}),
            hide_index=True,
            width="stretch",
        )
st.radio(
    "Missing values",
    MISSING_POLICIES,
    key=keys.MISSING,
    horizontal=True,
    format_func={
        "impute": "Fill in (median / most frequent value)",
        "exclude": "Leave those customers out",
    }.get,
)
st.radio(
    "Placeholders such as n/a, unknown, “Não informado”",
    PLACEHOLDER_POLICIES,
    key=keys.PLACEHOLDERS,
    horizontal=True,
    format_func={"missing": "A missing value", "category": "A category of their own (text columns)"}.get,
)
st.checkbox(
    "Keep rows with extreme values in the fit",
    key=keys.KEEP_EXTREMES,
    help="By default a few rows far outside the rest (a median/MAD scale) are left out of the fit, so they "
    "cannot make a segment of their own, and then given their nearest segment with a note.",
)

# The preview is copied now and the page lets go of the file: the checks may wait for their
# turn behind other people's work, and a waiting page would keep the whole file in memory.
preview, n_rows = work.preview_rows(dataset), dataset.n_rows
del dataset

st.subheader("Data checks")
try:
    with st.spinner("Checking and segmenting…"):
        seg = work.current_segmentation()
except SegmentationError as exc:
    st.error(markdown_text(exc))
else:
    report = seg.report
    st.metric(
        orders.segmented_label(order_lines),
        f"{report.n_usable:,}",
        delta=f"-{report.n_excluded:,} left out" if report.n_excluded else None,
        delta_color="off",
    )
    # One expander per kind of finding (its catalogue title and count), not a wall of messages.
    shown = [p for p in report.problems if p.code != "left-out"]  # left-out columns: listed above
    for code, problems in group_by_code(shown).items():
        kind = CATALOGUE[code]
        icon = {"error": ":material/error:", "warning": ":material/warning:"}.get(
            kind.severity, ":material/info:"
        )
        with st.expander(f"{kind.title} ({len(problems)})", icon=icon, expanded=kind.severity == "error"):
            st.markdown("\n".join(f"- {markdown_text(hints.problem_text(p))}" for p in problems))
    if not shown:
        st.success("No problems found in the feature columns.")

st.subheader("Preview")
st.caption(f"First {len(preview)} of {n_rows:,} rows, exactly as read.")
st.dataframe(preview, width="stretch", hide_index=True)
