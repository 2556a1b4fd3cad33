"""Export: the customers with their segment, the segment summary, lists per segment and the report."""

from functools import partial

import numpy as np
import streamlit as st

from pages import _orders as orders
from segmentation.report.html import report_html
from segmentation.report.lists import segment_csv, segments_zip
from segmentation.report.text import markdown_text
from segmentation.reuse.modelfile import model_id
from ui import keys, models, routing, sources, work

routing.page_setup()
st.title("Export")

with st.spinner("Preparing the files…"):
    seg = work.current_segmentation()
    names = work.segment_names(seg)
    delimiter = seg.dataset.read_report.delimiter_name
st.caption(
    f"{markdown_text(sources.current_source().label)} · k = {seg.settings.n_clusters} · "
    f"{seg.settings.scaling} scaling · UTF-8, {delimiter}-separated like the input."
)

left, right = st.columns(2, gap="large")
with left:
    st.subheader("Customers with their segment")
    st.write(
        "Every input row and cell exactly as read, in the input order, plus `segment`, "
        "`segment_name` and, for rows that were not segmented, an empty `segment` and "
        "`segment_name` cell and a `segment_note` saying why. Cells starting with `=`, `+`, `-` "
        "or `@` get a leading `'` so spreadsheets do not run them as formulas."
    )
    st.download_button(
        "Download customers with segments",
        seg.labeled_csv(names),
        file_name=work.download_name("segments"),
        mime="text/csv",
        type="primary",
        key="download_labeled",
        on_click="ignore",
    )
    st.caption(f"{seg.dataset.n_rows:,} rows · saved as {markdown_text(work.download_name('segments'))}")
    per_segment = st.checkbox("Also one sheet per segment", key="workbook_per_segment")
    st.download_button(
        "Download as Excel workbook",
        lambda: seg.labeled_workbook(names, per_segment=per_segment),  # built on click only
        file_name=work.download_name("segments").removesuffix(".csv") + ".xlsx",
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        key="download_labeled_workbook",
        on_click="ignore",
        help="The same customers with each cell's number, date or text as read, plus a Summary sheet. "
        "Text is written as text, never as a formula.",
    )
with right:
    st.subheader("Segment summary")
    st.write(
        "One row per segment: name, size, share, and the mean of each numeric feature "
        "in the file's own units."
    )
    st.download_button(
        "Download segment summary",
        seg.summary_csv(names),
        file_name=work.download_name("summary"),
        mime="text/csv",
        key="download_summary",
        on_click="ignore",
    )
    st.caption(f"{seg.result.n_clusters} segments · saved as {markdown_text(work.download_name('summary'))}")

st.divider()
st.subheader("Model")
st.write(
    "The fitted model with its segment names as shown (edited ones included), to score next "
    "month's customers into the same segments on the **Score** page or with "
    "`python -m segmentation score`. A skops file: opening it runs no code. It holds no customer rows."
)
st.download_button(
    "Download model (.skops)",
    models.model_file(seg, names),
    file_name=models.model_download_name(),
    mime="application/octet-stream",
    key="download_model",
    on_click="ignore",
)
st.caption(f"{seg.result.n_clusters} segments · saved as {markdown_text(models.model_download_name())}")

st.page_link(
    "pages/history.py",
    label="Save this segmentation, to reopen it and follow its customers over time",
    icon=":material/history:",
)

# ---------------------------------------------------------------- order lines (customers built from them)
orders.order_lines_download(seg, names)

# ---------------------------------------------------------------- lists per segment, the report to send
st.divider()
st.subheader("Customer lists per segment")
st.write(
    "One segment's customers for the e-mail or ad tool: the same columns, cells and delimiter as "
    "the customers with their segment, only that segment's rows. Or every segment at once: a zip "
    "of one CSV per segment, plus one of the rows that were not segmented, if any."
)
counts = np.bincount(seg.result.segments, minlength=seg.result.n_clusters + 1)
chosen = st.selectbox(
    "Segment",
    range(1, seg.result.n_clusters + 1),
    format_func=lambda n: f"{n}. {names.get(n, f'Segment {n}')} ({counts[n]:,} customers)",
    key="list_segment",
)
one, every = st.columns(2)
with one:
    st.download_button(
        "Download this segment's customers",
        partial(segment_csv, seg, chosen, names),
        file_name=work.download_name(f"segment_{chosen}"),
        mime="text/csv",
        key="download_segment",
        on_click="ignore",
    )
with every:
    st.download_button(
        "Download every segment (zip)",
        partial(segments_zip, seg, names),
        file_name=f"{sources.current_source().stem}_segments.zip",
        mime="application/zip",
        key="download_segments_zip",
        on_click="ignore",
    )

st.divider()
st.subheader(
    "Report to send", anchor=False
)  # no self-link: a link on this page comes from the file or nowhere
st.write(
    "One HTML file for a manager or a colleague: what went in, the features, how k was chosen, "
    "each segment with its size, share and means, the interactive scatter and heatmap, the settings "
    "and the model id. It opens offline in any browser, fetches nothing, and prints one segment a page."
)
k_range = st.session_state.get(keys.K_RANGE)
k_choice = work.cached_k_choice(*k_range) if k_range else None
st.download_button(
    "Download report (.html)",
    partial(
        report_html,
        seg,
        source_name=sources.current_source().label,
        names=names,
        k_choice=k_choice,
        model_id=model_id(models.model_file(seg, names)),
    ),
    file_name=f"{sources.current_source().stem}_report.html",
    mime="text/html",
    key="download_report",
    on_click="ignore",
)
st.caption(
    "With the scores per k from the **Choose k** page."
    if k_choice is not None
    else "Compute the scores on the **Choose k** page to add their curves to the report."
)
