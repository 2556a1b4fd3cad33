"""The History page in AppTest: save, list, reopen, rename, delete, migrate, the history chart."""

from __future__ import annotations

import io

import pandas as pd
import pytest

from segmentation.store.store import open_store
from tests.pages.apptest import goto, means_table, open_app, shown

HISTORY = "pages/history.py"


@pytest.fixture
def store_url(tmp_path, monkeypatch) -> str:
    url = f"sqlite:///{tmp_path / 'store' / 'segmentation.db'}"
    monkeypatch.setenv("SEGMENTATION_STORE_URL", url)
    return url


def _texts(at) -> str:
    parts = [m.value for m in at.markdown] + [s.value for s in at.success] + [i.value for i in at.info]
    return shown(" ".join(parts + [c.value for c in at.caption]))


def _save(at, name: str):
    at.text_input(key="save_name").set_value(name)
    at.button[0].click().run()  # the form's submit button is the page's first button
    assert not at.exception, [e.message for e in at.exception]
    return at


def test_save_reopen_rename_delete(store_url, captured):
    at = goto(open_app(), HISTORY)
    assert "Nothing saved yet" in _texts(at)
    goto(at, "pages/segments.py")
    shown_sizes = means_table(at)["size"].tolist()
    goto(at, HISTORY)
    _save(at, "October")
    assert "Saved October" in _texts(at) and "with 100 customers (key customer_id)" in _texts(at)
    store = open_store(store_url)
    assert store.names() == ["October"]
    assert store.load("October").summary["size"].tolist() == shown_sizes

    at.session_state["k"] = 3  # another k on the Segments page, then reopen the saved one
    goto(at, "pages/segments.py")
    assert len(means_table(at)) == 3
    goto(at, HISTORY)
    at.button(key="reopen").click().run()
    assert "October is open" in _texts(at)
    goto(at, "pages/segments.py")
    table = means_table(at)
    assert table["size"].tolist() == shown_sizes
    assert table["name"].tolist() == store.load("October").summary["name"].tolist()
    goto(at, "pages/export.py")
    assert [b for b in at.get("download_button") if b.proto.label.startswith("Download customers")]

    goto(at, HISTORY)
    at.text_input(key="rename_to").set_value("Oct 2026").run()
    at.button(key="rename").click().run()
    assert store.names() == ["Oct 2026"]
    at.checkbox(key="delete_confirm").check().run()
    at.button(key="delete").click().run()
    assert store.names() == []
    assert "Nothing saved yet" in _texts(at)


def test_migration_between_two_saved_periods(store_url, captured):
    at = goto(open_app(), HISTORY)
    _save(at, "October")
    at.session_state["seed"] = 43  # next month's customers: the same keys, other values
    goto(at, "pages/data.py")
    at.number_input(key="seed").set_value(43).run()
    goto(at, HISTORY)
    _save(at, "November")
    store = open_store(store_url)
    assert store.names() == ["October", "November"]
    old, new = store.customers("October"), store.customers("November")

    text = _texts(at)
    assert "100 customers in both 'October' and 'November'" in text
    counts = next(d.value for d in at.dataframe if "October ↓" in str(d.value.index.name))
    assert int(counts.to_numpy().sum()) == 100
    assert counts.to_numpy().trace() == int((old.segments == new.segments).sum())
    name = "moved_1_to_1.csv"
    moved = pd.read_csv(io.BytesIO(captured[name]), dtype=str)
    assert len(moved) == int(((old.segments == 1) & (new.segments == 1)).sum())
    assert at.get("plotly_chart")  # the Sankey and the history chart
