"""Export: the customers with their segment, and the segment summary, as CSV."""

import streamlit as st

from pages import _orders as orders
from segmentation.i18n import _, formats, ngettext
from segmentation.report.text import markdown_text
from ui import models, routing, sources, work

routing.page_setup()
st.title(_("Export"))

with st.spinner(_("Preparing the files…")):
    seg = work.current_segmentation()
    names = work.segment_names(seg)
    delimiter = seg.dataset.read_report.delimiter_name
st.caption(
    f"{markdown_text(sources.current_source().label)} · k = {seg.settings.n_clusters} · "
    + _("{scaling} scaling · UTF-8, {delimiter}-separated like the input.").format(
        scaling=seg.settings.scaling, delimiter=delimiter
    )
)

left, right = st.columns(2, gap="large")
with left:
    st.subheader(_("Customers with their segment"))
    st.write(
        _(
            "Every input row and cell exactly as read, in the input order, plus `segment`, "
            "`segment_name` and, for rows that were not segmented, an empty `segment` and "
            "`segment_name` cell and a `segment_note` saying why. Cells starting with `=`, `+`, `-` "
            "or `@` get a leading `'` so spreadsheets do not run them as formulas."
        )
    )
    st.download_button(
        _("Download customers with segments"),
        seg.labeled_csv(names),
        file_name=work.download_name("segments"),
        mime="text/csv",
        type="primary",
        key="download_labeled",
        on_click="ignore",
    )
    rows = ngettext("{n} row", "{n} rows", seg.dataset.n_rows).format(n=formats.integer(seg.dataset.n_rows))
    saved_as = _("saved as {name}").format(name=markdown_text(work.download_name("segments")))
    st.caption(f"{rows} · {saved_as}")
with right:
    st.subheader(_("Segment summary"))
    st.write(
        _(
            "One row per segment: name, size, share, and the mean of each numeric feature "
            "in the file's own units."
        )
    )
    st.download_button(
        _("Download segment summary"),
        seg.summary_csv(names),
        file_name=work.download_name("summary"),
        mime="text/csv",
        key="download_summary",
        on_click="ignore",
    )
    segments = ngettext("{n} segment", "{n} segments", seg.result.n_clusters).format(n=seg.result.n_clusters)
    saved_as = _("saved as {name}").format(name=markdown_text(work.download_name("summary")))
    st.caption(f"{segments} · {saved_as}")

st.divider()
st.subheader(_("Model"))
st.write(
    _(
        "The fitted model with its segment names as shown (edited ones included), to score next "
        "month's customers into the same segments on the **Score** page or with "
        "`python -m segmentation score`. A skops file: opening it runs no code. It holds no customer rows."
    )
)
st.download_button(
    _("Download model (.skops)"),
    models.model_file(seg, names),
    file_name=models.model_download_name(),
    mime="application/octet-stream",
    key="download_model",
    on_click="ignore",
)
segments = ngettext("{n} segment", "{n} segments", seg.result.n_clusters).format(n=seg.result.n_clusters)
saved_as = _("saved as {name}").format(name=markdown_text(models.model_download_name()))
st.caption(f"{segments} · {saved_as}")

# ---------------------------------------------------------------- order lines (customers built from them)
orders.order_lines_download(seg, names)
