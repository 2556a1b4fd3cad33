"""Page tests with Streamlit's AppTest: every page opens, uploads, k, and downloads."""

from __future__ import annotations

import hashlib
import os
import threading

import pytest
from streamlit.testing.v1 import AppTest

from segmentation import Settings, load, segment
from segmentation.io.synthetic import customers_to_csv_bytes, generate_customers
from tests.fixtures import MALL_LIKE_COLUMNS, MALL_LIKE_NAME, mall_like_csv
from tests.pages.apptest import APP, PAGES, TIMEOUT, goto, means_table, open_app, shown, sidebar_text, upload


@pytest.mark.parametrize("page", PAGES)
def test_every_page_opens_on_synthetic_data(page):
    at = goto(open_app(), page)
    assert at.title and not at.error
    assert "Synthetic customers" in sidebar_text(at)


def test_sample_size_changes_the_number_of_customers_segmented():
    at = open_app()
    assert at.metric[0].value == "100"
    at.slider(key="sample_size").set_value(250).run()
    assert not at.exception
    assert at.metric[0].value == "250"
    assert "250 rows" in sidebar_text(at)
    goto(at, "pages/segments.py")
    assert means_table(at)["size"].sum() == 250


def test_an_upload_gives_five_segments_with_means_in_file_units():
    at = upload(open_app(), MALL_LIKE_NAME, mall_like_csv())
    assert not at.error
    assert MALL_LIKE_NAME in sidebar_text(at)
    table = means_table(goto(at, "pages/segments.py"))
    assert len(table) == 5
    assert set(MALL_LIKE_COLUMNS) <= set(table.columns)


BROKEN = {
    "binary": bytes(range(256)) * 40,
    "header_only": b"customer_id,age,income\n",
    "free_text_only": (
        b"comment,feedback\n"
        + b"".join(
            f"note number {i} about the shop,the staff said thing {i * 7}\n".encode() for i in range(60)
        )
    ),
}


@pytest.mark.parametrize("kind", BROKEN)
def test_broken_upload_shows_an_error_and_keeps_the_previous_data(kind):
    at = open_app()
    before = at.metric[0].value
    upload(at, f"{kind}.csv", BROKEN[kind])
    assert at.error, "expected an error message"
    assert f"{kind}.csv" in shown(at.error[0].value)
    assert "Synthetic customers" in sidebar_text(at)
    assert at.metric[0].value == before
    goto(at, "pages/segments.py")  # the app is still usable
    assert len(means_table(at)) == 5


def test_changing_k_changes_the_number_of_segments_in_the_means_table():
    at = goto(open_app(), "pages/segments.py")
    assert len(means_table(at)) == 5
    at.slider(key="k").set_value(3).run()
    assert not at.exception
    assert len(means_table(at)) == 3
    goto(at, "pages/export.py")
    goto(at, "pages/segments.py")  # k survives page switches
    assert len(means_table(at)) == 3


def test_download_is_exactly_what_the_core_exports(captured):
    at = open_app()
    at.session_state["k"] = 4  # as the Segments page or "Use k = 4" would set it
    at.run()
    goto(at, "pages/export.py")
    assert [b.label for b in at.download_button] == [
        "Download customers with segments",
        "Download as Excel workbook",
        "Download segment summary",
        "Download model (.skops)",
        "Download this segment's customers",
        "Download every segment (zip)",
        "Download report (.html)",
    ]

    data = customers_to_csv_bytes(generate_customers(100, seed=42))
    expected = segment(load(data), Settings(n_clusters=4))
    assert captured["synthetic_customers_segments.csv"] == expected.labeled_csv()
    assert captured["synthetic_customers_summary.csv"] == expected.summary_csv()


def test_download_file_name_follows_the_upload(captured):
    at = upload(open_app(), MALL_LIKE_NAME, mall_like_csv())
    goto(at, "pages/export.py")
    assert {"mall_customers_segments.csv", "mall_customers_summary.csv"} <= set(captured)


def test_choose_k_computes_and_use_k_sets_k_for_the_segments_page():
    at = goto(open_app(), "pages/choose_k.py")
    at.button[0].click().run()  # Compute
    assert not at.exception
    assert at.success and "Suggested k" in at.success[0].value
    assert len(at.get("plotly_chart")) == 3
    at.session_state["k"] = 2
    at.run()
    use = next(b for b in at.button if b.label.startswith("Use k = "))
    suggested = int(use.label.removeprefix("Use k = "))
    use.click().run()
    assert at.session_state["k"] == suggested
    assert len(means_table(goto(at, "pages/segments.py"))) == suggested


def test_pca_projection_and_other_axes_draw_without_error():
    at = goto(open_app(), "pages/segments.py")
    at.selectbox(key="scatter_x").set_value("PCA projection").run()
    assert not at.exception and not at.error
    at.selectbox(key="scatter_x").set_value("age").run()
    at.selectbox(key="scatter_y").set_value("spending_score").run()
    assert not at.exception and not at.error


def test_edited_segment_names_flow_into_the_downloads(captured):
    data = customers_to_csv_bytes(generate_customers(100, seed=42))
    settings = Settings()
    at = open_app()
    # What the names editor stores (ui/work.py set_segment_names), per result.
    key = f"{hashlib.sha256(data).hexdigest()}:{settings!r}"
    at.session_state["segment_names"] = {key: {1: "Loyal savers"}}
    goto(at, "pages/export.py")
    expected = segment(load(data), settings)
    names = {**expected.profiles.names, 1: "Loyal savers"}
    assert captured["synthetic_customers_segments.csv"] == expected.labeled_csv(names)
    assert b"Loyal savers" in captured["synthetic_customers_summary.csv"]


def test_an_unexpected_error_shows_a_plain_message_not_a_traceback(monkeypatch, caplog):
    from ui import work

    def broken(*args, **kwargs):
        raise RuntimeError("internal detail that must not reach the browser")

    monkeypatch.setattr(work, "segment", broken)
    at = open_app()
    at.slider(key="sample_size").set_value(130).run()  # new data: not in the cache
    assert not at.exception
    assert at.error and at.error[0].value.startswith("Something went wrong")
    assert all("internal detail" not in e.value for e in at.error)
    assert "internal detail" in caplog.text  # the traceback went to the server log


def test_an_upload_is_hashed_once_not_on_every_rerun(monkeypatch):
    from ui import sources

    hashed: list[int] = []
    original = sources.data_key
    monkeypatch.setattr(sources, "data_key", lambda data: hashed.append(len(data)) or original(data))
    data = mall_like_csv()
    at = upload(open_app(), MALL_LIKE_NAME, data)
    assert hashed.count(len(data)) == 1
    at.run()
    at.run()
    assert hashed.count(len(data)) == 1
    assert MALL_LIKE_NAME in sidebar_text(at)


def test_a_page_opened_on_its_own_runs_inside_the_app():
    """A deep link runs the page through app.py: its sidebar frame and navigation are there.

    AppTest starts every run in Streamlit's legacy pages-folder mode, as a
    fresh server does; ``state.page_setup`` leaves it through ``st.navigation``.
    If a Streamlit upgrade changes that, the page runs alone and this fails.
    """
    at = AppTest.from_file(str(APP), default_timeout=TIMEOUT)
    at.switch_page("pages/segments.py").run()
    assert not at.exception, [e.message for e in at.exception]
    assert at.title[0].value == "Segments"
    assert "Current data" in sidebar_text(at)


def test_the_file_encoding_can_be_chosen_for_an_upload():
    frame = generate_customers(80, seed=4).astype(str)
    frame["Город"] = ["Москва", "Казань"] * 40
    data = customers_to_csv_bytes(frame).decode("utf-8").encode("cp1251")
    at = upload(open_app(), "ru.csv", data)
    page = shown(" ".join(m.value for m in at.markdown))
    assert "encoding Windows-1251 (Cyrillic)," in page
    at.selectbox(key="file_encoding").set_value("DOS 866 (Cyrillic)").run()
    assert not at.exception
    page = shown(" ".join(m.value for m in at.markdown))
    assert "encoding DOS 866 (Cyrillic) (as chosen)" in page
    at.selectbox(key="file_encoding").set_value("Detect automatically").run()
    assert "encoding Windows-1251 (Cyrillic)," in shown(" ".join(m.value for m in at.markdown))


def test_evicted_work_is_rebuilt_and_what_the_person_did_survives():
    from ui import server

    at = open_app()
    at.session_state["k"] = 3
    at.run()
    goto(at, "pages/segments.py")
    data = customers_to_csv_bytes(generate_customers(100, seed=42))
    key = f"{hashlib.sha256(data).hexdigest()}:{Settings(n_clusters=3)!r}"
    at.session_state["segment_names"] = {key: {1: "Loyal savers"}}
    at.run()
    server.server_cache().clear()  # as if other sessions' work had pushed all of it out
    at.run()
    assert not at.exception
    table = means_table(at)
    assert len(table) == 3 and "Loyal savers" in set(table["name"])


def test_each_upload_and_fit_logs_one_line_without_file_names_or_cells(caplog):
    import logging

    caplog.set_level(logging.INFO, logger="segmentation.app")
    data = customers_to_csv_bytes(generate_customers(321, seed=77))
    at = upload(open_app(), "acme_private_clients.csv", data)
    goto(at, "pages/segments.py")
    at.run()
    lines = [r.getMessage() for r in caplog.records if r.name == "segmentation.app"]
    uploads = [line for line in lines if line.startswith("upload:")]
    fits = [line for line in lines if line.startswith("fit:") and "321 rows" in line]
    assert len(uploads) == 1 and "321 rows" in uploads[0] and "MB" in uploads[0]
    assert len(fits) == 1 and " s; cache holds " in fits[0]
    first_id = data.splitlines()[1].split(b",")[0].decode()
    assert all("acme_private" not in line and first_id not in line for line in lines)


def test_data_checks_are_grouped_one_expander_per_kind():
    """Many findings of a few kinds: one expander per code with its title and count, no wall of warnings."""
    header = "Age,Income,Visits,Plan,Region"
    rows = [f"{20 + i % 40},{1000 + 37 * i},{i % 9},{'AB'[i % 2]},{'NSEW'[i % 4]}" for i in range(200)]
    for i in (5, 9, 13):
        rows[i] = ",,,,"  # blank rows
    for i in (20, 30):
        rows[i] = f"{30 + i},n/a,{i % 9},?,N"  # placeholders in two columns
    at = upload(open_app(), "grouped.csv", (header + "\n" + "\n".join(rows) + "\n").encode())
    labels = [e.label for e in at.expander]
    assert "Blank rows (1)" in labels
    assert "Placeholders for no value (2)" in labels
    assert not at.warning


def test_the_data_page_switches_extreme_rows_and_placeholders():
    """The choices of the CLI's --keep-extremes and --placeholders are on the Data page too."""
    lines = ["customer,income,visits,plan"]
    lines += [f"c{i},{40 + (i * 7) % 30},{1 + i % 9},{'AB'[i % 2] if i % 10 else 'n/a'}" for i in range(200)]
    lines[50] = "c49,60000,3,A"  # one shifted row: an income far outside the rest
    at = upload(open_app(), "extremes.csv", ("\n".join(lines) + "\n").encode())
    titles = [e.label for e in at.expander]
    assert any(t.startswith("Extreme values") for t in titles)
    said = " ".join(m.value for m in at.markdown if "far outside the rest" in m.value)
    assert "left out of the fit" in said and "Keep rows with extreme values in the fit" in said
    assert "--" not in said  # the dashboard names its own checkbox, never the CLI's flag
    assert means_table(goto(at, "pages/segments.py"))["income"].max() < 100  # held out of the fit
    goto(at, "pages/data.py")
    at.checkbox(key="keep_extremes").check().run()
    assert not at.exception
    assert at.session_state["keep_extremes"] is True
    segments = goto(at, "pages/segments.py")
    assert means_table(segments)["income"].max() > 1000  # the extreme row is now in the fit: its own mean
    goto(at, "pages/data.py")
    at.radio(key="placeholders").set_value("category").run()
    assert not at.exception and at.session_state["placeholders"] == "category"


def test_the_data_page_previews_the_first_rows_as_read_in_a_copy_not_a_slice_of_the_file():
    from segmentation.runtime.sizes import nbytes_of
    from ui import work

    data = customers_to_csv_bytes(generate_customers(5000, seed=5))
    at = upload(open_app(), "clients.csv", data)
    assert not at.exception
    assert "First 100 of 5,000 rows, exactly as read." in [shown(c.value) for c in at.caption]
    dataset = load(data)
    preview = work.preview_rows(dataset)
    assert preview.equals(dataset.raw.head(100))
    assert nbytes_of(preview) < nbytes_of(dataset.raw) / 20  # a slice would share the columns' buffers


@pytest.mark.skipif(not hasattr(os, "setpriority"), reason="per-thread priority is Linux's")
def test_large_work_runs_behind_other_pages_and_small_work_does_not():
    from ui import server

    seen = {}

    def work(name: str, cost: int) -> None:
        with server.behind_pages(cost):
            seen[name] = os.getpriority(os.PRIO_PROCESS, threading.get_native_id())

    for name, cost in (("large", 50 * 2**20), ("small", 10_000)):
        thread = threading.Thread(target=work, args=(name, cost))  # as a script thread runs it
        thread.start()
        thread.join()
    assert seen["large"] >= server.BACKGROUND_NICENESS > seen["small"]


def test_the_server_hands_the_gil_to_other_sessions_every_millisecond():
    """Made with the shared cache, once per server: pages wait less behind another person's fit."""
    import sys

    from ui import server

    before = sys.getswitchinterval()
    try:
        sys.setswitchinterval(0.005)  # Python's default
        server.server_cache.clear()  # the next script run makes the server's cache again
        assert not open_app().exception
        assert sys.getswitchinterval() == pytest.approx(server.SWITCH_INTERVAL_S)
    finally:
        sys.setswitchinterval(before)
