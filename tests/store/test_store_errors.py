"""Bad stores: each gets one clear message, and nothing in them is changed or lost."""

from __future__ import annotations

import sqlite3

import pytest
from sqlalchemy import text

from segmentation import SegmentationError
from segmentation.store import database
from segmentation.store.records import ITEM_VERSION
from segmentation.store.store import open_store
from tests.store.helpers import snapshot
from tests.store.postgres import free_port


def _refused(url: str, code: str) -> str:
    with pytest.raises(SegmentationError) as caught:
        open_store(url)
    assert caught.value.code == code, str(caught.value)
    return str(caught.value)


def test_a_corrupt_file_is_refused_and_left_as_it_was(tmp_path):
    path = tmp_path / "segmentation.db"
    junk = b"this is not a database at all \x00\x01" * 300
    path.write_bytes(junk)
    message = _refused(f"sqlite:///{path}", "store-unreadable")
    assert str(path) in message and "Nothing in it was changed" in message
    assert path.read_bytes() == junk


def test_a_damaged_store_keeps_what_was_saved(tmp_path, runs):
    """Bytes overwritten in the middle of a store: refused, and the file is not rewritten."""
    path = tmp_path / "segmentation.db"
    open_store(f"sqlite:///{path}").save(snapshot(runs))
    data = bytearray(path.read_bytes())
    data[:16] = b"garbage garbage!"  # the SQLite header
    path.write_bytes(bytes(data))
    _refused(f"sqlite:///{path}", "store-unreadable")
    assert path.read_bytes() == bytes(data)


def test_another_programs_database_is_left_alone(tmp_path):
    path = tmp_path / "shop.db"
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE orders (id INTEGER, total REAL)")
        conn.execute("INSERT INTO orders VALUES (1, 9.5)")
    before = path.read_bytes()
    message = _refused(f"sqlite:///{path}", "store-foreign")
    assert "orders" in message
    assert path.read_bytes() == before


def test_a_store_of_a_newer_schema_is_refused_untouched(store_url, runs):
    store = open_store(store_url)
    store.save(snapshot(runs))
    with store.engine.begin() as conn:
        conn.execute(text("UPDATE store_meta SET value = '99' WHERE key = 'schema_version'"))
    message = _refused(store_url, "store-newer")
    assert "99" in message
    with store.engine.begin() as conn:  # put it back: the item is still there, whole
        conn.execute(text("UPDATE store_meta SET value = '2' WHERE key = 'schema_version'"))
    assert open_store(store_url).customers("October").keys.size == 200


def test_an_item_from_a_newer_version_is_listed_but_not_misread(store_url, runs):
    store = open_store(store_url)
    store.save(snapshot(runs))
    store.save(snapshot(runs, "second", name="November"))
    with store.engine.begin() as conn:
        conn.execute(
            text("UPDATE saved_segmentations SET item_version = :v WHERE name = 'November'"),
            {"v": ITEM_VERSION + 1},
        )
    listed = {i.name: i.readable for i in store.list()}
    assert listed == {"October": True, "November": False}
    for read in (store.load, store.customers):
        with pytest.raises(SegmentationError) as caught:
            read("November")
        assert caught.value.code == "saved-newer"
    assert store.load("October").names  # the others open as before


def test_an_unreachable_server_is_one_message():
    url = f"postgresql+psycopg://nobody@127.0.0.1:{free_port()}/store"
    message = _refused(url, "store-unreachable")
    assert "127.0.0.1" in message


def test_a_password_never_shows_in_messages():
    url = f"postgresql+psycopg://nobody:s3cret@127.0.0.1:{free_port()}/store"
    assert "s3cret" not in _refused(url, "store-unreachable")


@pytest.mark.parametrize("url", ["not a url", "nosuchdb://host/x"])
def test_a_bad_address_is_one_message(url):
    _refused(url, "store-bad-url")


def test_an_unwritable_folder_is_one_message(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    _refused(f"sqlite:///{blocker / 'sub' / 'segmentation.db'}", "store-unreachable")


def test_the_default_store_is_a_file_in_the_data_folder_made_on_first_use(tmp_path, monkeypatch, runs):
    folder = tmp_path / "not" / "there"
    monkeypatch.delenv(database.URL_VARIABLE, raising=False)
    monkeypatch.setenv(database.FOLDER_VARIABLE, str(folder))
    store = open_store()
    store.save(snapshot(runs))
    assert (folder / database.FILE_NAME).is_file()
    assert open_store().names() == ["October"]
    monkeypatch.delenv(database.FOLDER_VARIABLE)
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.delenv("XDG_DATA_HOME", raising=False)
    assert database.default_folder() == tmp_path / ".local" / "share" / "segmentation"
