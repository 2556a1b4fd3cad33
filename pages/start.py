"""Start: what the tool does, in two lines, and the ways in."""

import streamlit as st

from segmentation.i18n import _
from ui import routing, sources

# A page of saved segmentations, when the dashboard has one (another part of the product);
# the start page offers it as a way in only then.
SAVED_PAGES = ("pages/saved.py", "pages/history.py")

routing.page_setup()
st.title(_("Customer segments"))
st.markdown(
    _(
        "Groups your customers into a few segments of similar people, names each segment "
        "and shows what sets it apart."
    )
    + "  \n"
    + _("Start from synthetic customers or your own table; the file stays in this session only.")
)

saved_page = next((path for path, *_rest in routing.PAGES if path in SAVED_PAGES), None)
ways = st.columns(3 if saved_page else 2, gap="medium")

with ways[0].container(border=True):
    st.subheader(_("Try synthetic customers"), anchor=False)
    st.markdown(_("100 made-up customers with age, income and spending, ready to segment."))
    if st.button(
        _("Try synthetic customers"), type="primary", icon=":material/play_arrow:", key="start_synthetic"
    ):
        if sources.current_source().kind != "synthetic":
            sources.back_to_synthetic()
        st.switch_page("pages/data.py")

with ways[1].container(border=True):
    st.subheader(_("Upload a file"), anchor=False)
    st.markdown(_("A CSV with one row per customer, or order lines to summarise per customer."))
    st.page_link("pages/data.py", label=_("Upload a file"), icon=":material/upload_file:")

if saved_page:
    with ways[2].container(border=True):
        st.subheader(_("Open a saved segmentation"), anchor=False)
        st.markdown(_("Go on from a segmentation saved earlier."))
        st.page_link(saved_page, label=_("Open a saved segmentation"), icon=":material/history:")

st.subheader(_("Then"), anchor=False)
st.markdown(
    "\n".join(
        [
            "1. " + _("**Data**: check what was read and choose the columns that describe a customer."),
            "2. " + _("**Segments**: see the segments, their profiles and names; rename them."),
            "3. " + _("**Export**: download each customer's segment, the summary and the model."),
        ]
    )
)
