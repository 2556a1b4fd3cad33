"""A crash in the middle of a save, saves from several processes at once, and the schema's migrations."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import create_engine, select, text

from segmentation import SegmentationError
from segmentation.store import schema
from segmentation.store.database import make_engine
from segmentation.store.store import Store, open_store
from tests.store.helpers import snapshot

SAVER = Path(__file__).with_name("saver.py")


def test_a_failure_mid_save_leaves_the_previous_state_whole(store_url, runs, monkeypatch):
    store = open_store(store_url)
    store.save(snapshot(runs, name="October"))
    before = store.customers("October").keys.tolist()

    def fail(self, conn, item_id, data):
        raise OSError("disk full")  # after the item's row was written, inside the transaction

    monkeypatch.setattr(Store, "_write_customers", fail)
    with pytest.raises(OSError):
        store.save(snapshot(runs, "second", name="November"))
    monkeypatch.undo()
    assert store.names() == ["October"]  # no half-saved November
    assert store.customers("October").keys.tolist() == before
    store.save(snapshot(runs, "second", name="November"))  # and the name is free again
    assert store.names() == ["October", "November"]


def _wait_for(path: Path, process: subprocess.Popen, seconds: float = 120) -> None:
    deadline = time.monotonic() + seconds
    while not path.exists():
        assert process.poll() is None, process.communicate()
        assert time.monotonic() < deadline, "the child never reached the middle of its save"
        time.sleep(0.05)


def test_a_process_killed_mid_save_leaves_the_previous_state_whole(store_url, runs, tmp_path):
    store = open_store(store_url)
    store.save(snapshot(runs, name="October"))
    marker = tmp_path / "inside"
    child = subprocess.Popen(
        [sys.executable, str(SAVER), store_url, "Killed", "hang", str(marker)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    try:
        _wait_for(marker, child)
        os.kill(child.pid, signal.SIGKILL)
    finally:
        child.wait(timeout=30)
    assert child.returncode == -signal.SIGKILL
    reopened = open_store(store_url)  # waits for the server to drop the dead session's lock
    assert reopened.names() == ["October"]
    assert reopened.customers("October").keys.size == 200
    reopened.save(snapshot(runs, "second", name="Killed"))  # nothing is left locked or half there
    assert reopened.names() == ["October", "Killed"]


def test_saves_from_several_processes_at_once_all_land(store_url, tmp_path):
    open_store(store_url)  # created once; the children race on saves, not on creation
    names = ["A", "B", "C", "A"]  # two try the same name: one of them must be told
    children = [
        subprocess.Popen(
            [sys.executable, str(SAVER), store_url, name, "save"], stdout=subprocess.PIPE, text=True
        )
        for name in names
    ]
    outputs = [child.communicate(timeout=240)[0].strip() for child in children]
    assert sorted(outputs) == ["SegmentationError saved-name-taken", "saved", "saved", "saved"]
    assert sorted(open_store(store_url).names()) == ["A", "B", "C"]


def test_a_new_store_is_created_by_many_at_once(store_url):
    """Processes opening a store that does not exist yet: its tables are made exactly once."""
    code = "import sys; from segmentation.store.store import open_store; open_store(sys.argv[1]); print('ok')"
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2])}
    children = [
        subprocess.Popen([sys.executable, "-c", code, store_url], stdout=subprocess.PIPE, text=True, env=env)
        for _ in range(3)
    ]
    assert [c.communicate(timeout=120)[0].strip() for c in children] == ["ok"] * 3
    engine = create_engine(store_url)
    with engine.connect() as conn:
        assert conn.execute(select(schema.store_meta.c.value)).scalars().all() == [str(schema.SCHEMA_VERSION)]
    engine.dispose()


def test_a_first_version_store_is_migrated_forward_with_its_items(store_url, runs):
    engine = make_engine(store_url)
    with engine.begin() as conn:  # a store as the first release left it, with one item
        schema.migrate(conn, 0, target=1)
    engine.dispose()
    first = Store(make_engine(store_url), store_url)
    # The first release's columns only: write through the version-1 table.
    v1 = schema._saved_table(schema.MetaData(), rules=False)
    from segmentation.store.store import _row

    row = {k: v for k, v in _row(snapshot(runs), "", "October", "line").items() if k != "rules"}
    with first.engine.begin() as conn:
        conn.execute(v1.insert().values(**row))
    first.engine.dispose()

    store = open_store(store_url)
    with store.engine.connect() as conn:
        version = conn.execute(text("SELECT value FROM store_meta WHERE key = 'schema_version'")).scalar()
    assert version == str(schema.SCHEMA_VERSION) == "2"
    assert store.load("October").rules is None  # the new column, empty for the old item
    assert store.load("October").names == runs["first"].names
    store.save(snapshot(runs, "second", name="November", rules={"1": "income > 50"}))
    assert store.load("November").rules == {"1": "income > 50"}


def test_an_error_names_what_to_do_and_is_one_code(store_url, runs):
    store = open_store(store_url)
    with pytest.raises(SegmentationError) as caught:
        store.delete("Nothing")
    assert caught.value.code == "saved-not-found" and "none yet" in str(caught.value)
