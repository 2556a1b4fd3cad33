"""History: save the current segmentation, reopen saved ones, and follow customers between periods."""

from datetime import date

import pandas as pd
import streamlit as st

from pages._tables import number_column
from segmentation import SegmentationError
from segmentation.report.text import markdown_text
from segmentation.store.history import history_figure, lineage_history
from segmentation.store.migration import migrate, sankey_figure
from segmentation.store.store import SavedInfo, Store
from ui import keys, routing, saved, sources

routing.page_setup()
st.title("History")


def signed_in_header() -> bool:
    """Who is signed in, with sign-in and sign-out; False for a visitor, who sees no saved work."""
    if not saved.sign_in_configured():
        return True
    if saved.signed_in_owner() is None:
        st.info("Sign in to save segmentations and to see the ones you saved. Nothing is shown to visitors.")
        st.button("Sign in", on_click=st.login, type="primary", key="sign_in")
        return False
    who = st.user.get("email") or st.user.get("name") or st.user.get("sub")
    left, right = st.columns([4, 1])
    left.caption(f"Signed in as {markdown_text(who)}. Your saved work is yours only.")
    right.button("Sign out", on_click=st.logout, key="sign_out")
    space = saved.shared_space()
    if space:
        st.radio("Space", [saved.MINE, space], key=keys.SPACE, horizontal=True)
    return True


def save_section() -> None:
    st.subheader("Save the current segmentation")
    source = sources.current_source()
    with st.form("save_form", clear_on_submit=False, border=False):
        name_col, date_col = st.columns([3, 1])
        name = name_col.text_input("Name", value=f"{source.stem} {date.today().isoformat()}", key="save_name")
        period = date_col.date_input("Date of the data", value=date.today(), key="save_period")
        with_customers = st.checkbox(
            "Save each customer's key and segment (needed to follow customers between periods)",
            value=True,
            key="save_customers",
        )
        submitted = st.form_submit_button("Save", type="primary")
    if submitted:
        try:
            info = saved.save_current(name, period, with_customers)
        except SegmentationError as exc:
            st.error(markdown_text(exc))
            return
        if info.n_customers:
            what = f"with {info.n_customers:,} customers (key {markdown_text(info.key_column)})"
        elif with_customers:
            what = "without customers: the file has no recognised customer ID column"
        else:
            what = "without customers"
        saved.notice(f"Saved {markdown_text(info.name)!s} ({info.period.isoformat()}) {what}.")
        st.rerun()


def saved_table(items: list[SavedInfo]) -> None:
    table = pd.DataFrame(
        {
            "name": [i.name for i in items],
            "date": [i.period for i in items],
            "segments": [i.n_segments for i in items],
            "customers": [i.n_customers for i in items],
            "data": [str(i.source.get("name", "")) for i in items],
            "model line": [i.lineage for i in items],
            "saved": [i.saved_at.strftime("%Y-%m-%d %H:%M UTC") for i in items],
        }
    )
    st.dataframe(
        table,
        hide_index=True,
        width="stretch",
        column_config={"customers": number_column("customers", "%d")},
        key="saved_table",
    )


def manage_section(store: Store, owner: str, items: list[SavedInfo]) -> None:
    names = [i.name for i in items]
    chosen = st.selectbox("Saved segmentation", names, index=len(names) - 1, key="saved_choice")
    item = items[names.index(chosen)]
    if not item.readable:
        st.warning("This one was saved by a newer version of the dashboard; update it to open this one.")
    open_col, rename_col, delete_col = st.columns([1, 2, 1], vertical_alignment="bottom")
    if open_col.button("Reopen", type="primary", key="reopen", disabled=not item.readable):
        try:
            saved.reopen(chosen)
        except SegmentationError as exc:
            st.error(markdown_text(exc))
            return
        saved.notice(f"Reopened {markdown_text(chosen)}.")
        st.rerun()
    new_name = rename_col.text_input("New name", key="rename_to", placeholder="New name")
    if rename_col.button("Rename", key="rename", disabled=not new_name.strip()):
        act(
            lambda: store.rename(chosen, new_name, owner),
            f"Renamed {markdown_text(chosen)} to {markdown_text(new_name)}.",
        )
    confirm = delete_col.checkbox("Confirm", key="delete_confirm")
    if delete_col.button("Delete", key="delete", disabled=not confirm):
        act(lambda: store.delete(chosen, owner), f"Deleted {markdown_text(chosen)}.")


def act(change, done: str) -> None:
    try:
        change()
    except SegmentationError as exc:
        st.error(markdown_text(exc))
        return
    saved.notice(done)
    st.rerun()


def reopened_banner() -> None:
    state = saved.reopened()
    if state is None:
        return
    name, same_data = state
    if same_data:
        saved.apply_reopened_names()
        st.success(
            f"{markdown_text(name)} is open: the Segments and Export pages show it, with its names, "
            "settings and numbering."
        )
        st.page_link("pages/segments.py", label="Go to Segments", icon=":material/scatter_plot:")
    else:
        st.info(
            f"{markdown_text(name)}: its settings, names and numbering are in use. Upload the file it was "
            "saved from again on the Data page to see its segments and exports; its saved summary is below."
        )


def migration_section(store: Store, owner: str, items: list[SavedInfo]) -> None:
    st.subheader("Customers between two periods")
    with_customers = [i.name for i in items if i.n_customers and i.readable]
    if len(with_customers) < 2:
        st.caption("Save two segmentations with their customers to see who moved between them.")
        return
    old_col, new_col = st.columns(2)
    old = old_col.selectbox("Earlier", with_customers, index=len(with_customers) - 2, key="migrate_old")
    new = new_col.selectbox("Later", with_customers, index=len(with_customers) - 1, key="migrate_new")
    try:
        moves = migrate(store.customers(old, owner), store.customers(new, owner))
    except SegmentationError as exc:
        st.error(markdown_text(exc))
        return
    st.markdown(markdown_text(" ".join(moves.lines())))
    counts_tab, shares_tab = st.tabs(["Customers", "Row shares"])
    counts_tab.dataframe(moves.labeled(moves.counts), width="stretch", key="migration_counts")
    shares = moves.labeled(moves.shares)
    shares_tab.dataframe(
        shares, width="stretch", key="migration_shares",
        column_config={c: number_column(c, "percent") for c in shares.columns},
    )  # fmt: skip
    st.plotly_chart(sankey_figure(moves), width="stretch", key="sankey")
    from_col, to_col, download_col = st.columns([2, 2, 1], vertical_alignment="bottom")
    old_numbers, new_numbers = list(moves.counts.index), list(moves.counts.columns)
    start = from_col.selectbox("Moved from", old_numbers, format_func=moves.old_label_of, key="movers_from")
    end = to_col.selectbox("to", new_numbers, format_func=moves.new_label_of, key="movers_to")
    movers = moves.movers(int(start), int(end))
    with download_col:
        st.download_button(
            f"Download {len(movers):,} customers",
            moves.moves_csv(int(start), int(end)),
            file_name=f"moved_{start}_to_{end}.csv",
            mime="text/csv",
            key="download_movers",
            on_click="ignore",
        )
    new_col.caption(f"{len(moves.new_keys):,} new customers, {len(moves.lost_keys):,} lost.")


def history_section(store: Store, owner: str, name: str) -> None:
    st.subheader("Segments over time")
    try:
        history = lineage_history(store, name, owner)
    except SegmentationError as exc:
        st.error(markdown_text(exc))
        return
    st.caption(
        f"The saved periods of the model of {markdown_text(name)} (later periods numbered like it): "
        "each segment's share of customers."
    )
    st.plotly_chart(history_figure(history), width="stretch", key="history_chart")
    if len(history.periods) > 1:
        st.markdown(
            f"Latest against first: population stability index **{history.psi:.3f}** ({history.verdict})."
        )
        st.dataframe(history.shifts, width="stretch", key="history_shifts")


def main() -> None:
    if not signed_in_header():
        return
    owner = saved.current_owner()
    assert owner is not None
    try:
        store = saved.store()
        items = store.list(owner)
    except SegmentationError as exc:
        st.error(markdown_text(exc))
        return
    message = saved.pop_notice()
    if message:
        st.success(message)
    save_section()
    reopened_banner()
    st.subheader("Saved segmentations")
    if not items:
        st.caption("Nothing saved yet.")
        return
    saved_table(items)
    manage_section(store, owner, items)
    migration_section(store, owner, items)
    history_section(store, owner, st.session_state.get("saved_choice") or items[-1].name)


main()
