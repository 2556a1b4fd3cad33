"""Page tests with Streamlit's AppTest: every page opens, uploads, k, and downloads."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from streamlit.runtime.media_file_manager import MediaFileManager
from streamlit.runtime.pages_manager import PagesManager
from streamlit.testing.v1 import AppTest

from segmentation import Settings, load, segment
from segmentation.synthetic import customers_to_csv_bytes, generate_customers

APP = Path(__file__).parents[1] / "app.py"
DATASETS = Path(__file__).resolve().parents[2] / "shared" / "datasets"
MALL = DATASETS / "Mall_Customers.csv"
PAGES = ["pages/data.py", "pages/segments.py", "pages/choose_k.py", "pages/export.py"]
TIMEOUT = 60


@pytest.fixture(autouse=True)
def navigation_through_app_py(monkeypatch):
    """Run every page through app.py, as the server does once st.navigation has run.

    AppTest resets ``PagesManager.uses_pages_directory`` before each run; with a
    ``pages/`` folder next to app.py it would then run a switched-to page file
    directly (old multipage mode), skipping app.py's frame and error handling.
    """
    original = PagesManager.__init__

    def init(self, *args, **kwargs):
        original(self, *args, **kwargs)
        PagesManager.uses_pages_directory = False

    monkeypatch.setattr(PagesManager, "__init__", init)


def open_app() -> AppTest:
    at = AppTest.from_file(str(APP), default_timeout=TIMEOUT)
    at.run()
    assert not at.exception
    return at


def goto(at: AppTest, page: str) -> AppTest:
    at.switch_page(page).run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def sidebar_text(at: AppTest) -> str:
    return (
        " ".join(m.value for m in at.sidebar.markdown) + " " + " ".join(c.value for c in at.sidebar.caption)
    )


def means_table(at: AppTest):
    tables = [d.value for d in at.dataframe if {"name", "size", "share"} <= set(d.value.columns)]
    assert tables, "no per-segment means table on the page"
    return tables[0]


def upload(at: AppTest, name: str, data: bytes) -> AppTest:
    at.file_uploader[0].upload(name, data, "text/csv").run()
    assert not at.exception, [e.message for e in at.exception]
    return at


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


@pytest.mark.datasets
def test_mall_customers_upload_gives_five_segments_with_means_in_file_units():
    if not MALL.exists():
        pytest.skip(f"dataset not available: {MALL}")
    at = upload(open_app(), MALL.name, MALL.read_bytes())
    assert not at.error
    assert "Mall_Customers.csv" in sidebar_text(at)
    table = means_table(goto(at, "pages/segments.py"))
    assert len(table) == 5
    assert {"Age", "Annual Income (k$)", "Spending Score (1-100)"} <= set(table.columns)


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
    assert f"{kind}.csv" in at.error[0].value
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


@pytest.fixture
def captured(monkeypatch) -> dict[str, bytes]:
    """Download buttons' data by file name (AppTest drops its media store after each run)."""
    files: dict[str, bytes] = {}
    original = MediaFileManager.add

    def add(self, path_or_data, mimetype, coordinates, file_name=None, **kwargs):
        if file_name:
            files[file_name] = path_or_data
        return original(self, path_or_data, mimetype, coordinates, file_name, **kwargs)

    monkeypatch.setattr(MediaFileManager, "add", add)
    return files


def test_download_is_exactly_what_the_core_exports(captured):
    at = open_app()
    at.session_state["k"] = 4  # as the Segments page or "Use k = 4" would set it
    at.run()
    goto(at, "pages/export.py")
    assert [b.label for b in at.download_button] == [
        "Download customers with segments",
        "Download segment summary",
    ]

    data = customers_to_csv_bytes(generate_customers(100, seed=42))
    expected = segment(load(data), Settings(n_clusters=4))
    assert captured["synthetic_customers_segments.csv"] == expected.labeled_csv()
    assert captured["synthetic_customers_summary.csv"] == expected.summary_csv()


@pytest.mark.datasets
def test_download_file_name_follows_the_upload(captured):
    if not MALL.exists():
        pytest.skip(f"dataset not available: {MALL}")
    at = upload(open_app(), MALL.name, MALL.read_bytes())
    goto(at, "pages/export.py")
    assert {"Mall_Customers_segments.csv", "Mall_Customers_summary.csv"} <= set(captured)


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
    # What the names editor stores (pages/_state.py set_segment_names), per result.
    key = f"{hashlib.sha256(data).hexdigest()}:{settings!r}"
    at.session_state["segment_names"] = {key: {1: "Loyal savers"}}
    goto(at, "pages/export.py")
    expected = segment(load(data), settings)
    names = {**expected.profiles.names, 1: "Loyal savers"}
    assert captured["synthetic_customers_segments.csv"] == expected.labeled_csv(names)
    assert b"Loyal savers" in captured["synthetic_customers_summary.csv"]


def test_an_unexpected_error_shows_a_plain_message_not_a_traceback(monkeypatch, caplog):
    import pages._state

    def broken(*args, **kwargs):
        raise RuntimeError("internal detail that must not reach the browser")

    monkeypatch.setattr(pages._state, "segment", broken)
    at = open_app()
    at.slider(key="sample_size").set_value(130).run()  # new data: not in the cache
    assert not at.exception
    assert at.error and at.error[0].value.startswith("Something went wrong")
    assert all("internal detail" not in e.value for e in at.error)
    assert "internal detail" in caplog.text  # the traceback went to the server log


def test_an_upload_is_hashed_once_not_on_every_rerun(monkeypatch):
    from pages import _state

    hashed: list[int] = []
    original = _state.data_key
    monkeypatch.setattr(_state, "data_key", lambda data: hashed.append(len(data)) or original(data))
    at = upload(open_app(), MALL.name, MALL.read_bytes())
    assert hashed.count(MALL.stat().st_size) == 1
    at.run()
    at.run()
    assert hashed.count(MALL.stat().st_size) == 1
    assert "Mall_Customers.csv" in sidebar_text(at)


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
