"""The store on SQLite and PostgreSQL: save, list, reopen, rename, delete, per owner; bad names."""

from __future__ import annotations

from datetime import date

import numpy as np
import pytest

from segmentation import SegmentationError, Settings, load, segment
from segmentation.reuse.modelfile import read_model
from segmentation.store.records import snapshot_of
from segmentation.store.store import open_store
from tests.store.helpers import snapshot


def test_a_saved_segmentation_comes_back_whole(store_url, runs):
    store = open_store(store_url)
    names = {1: "Bargain hunters"}
    info = store.save(snapshot(runs, names=names))
    first = runs["first"]

    assert [i.name for i in store.list()] == ["October"]
    assert info.period == date(2026, 10, 31) and info.n_segments == 4
    saved = store.load("October")
    assert saved.settings == first.settings
    assert saved.names == {**first.names, **names}
    expected = first.profiles.summary_with_names({**first.names, **names})
    assert list(saved.summary.columns) == list(expected.columns)
    assert saved.summary["name"].tolist() == expected["name"].tolist()
    np.testing.assert_allclose(saved.summary["share"], expected["share"])
    assert saved.summary["size"].tolist() == expected["size"].tolist()
    model = read_model(saved.model)  # the model file opens like a downloaded one
    assert model.manifest.names[1] == "Bargain hunters"

    customers = store.customers("October")
    assert customers.keys.tolist() == first.dataset.raw["CustomerID"].tolist()
    assert customers.keys[0] == "0001"  # exactly as written: leading zeros kept
    assert customers.segments.tolist() == first.result.segments.tolist()
    assert info.key_column == "CustomerID" and info.n_customers == 200


def test_saved_without_customers_says_so_when_compared(store_url, runs):
    store = open_store(store_url)
    info = store.save(snapshot(runs, with_customers=False))
    assert info.n_customers == 0
    with pytest.raises(SegmentationError) as caught:
        store.customers("October")
    assert caught.value.code == "saved-no-customers"


def test_rename_and_delete(store_url, runs):
    store = open_store(store_url)
    store.save(snapshot(runs, name="October"))
    store.save(snapshot(runs, "second", name="November"))
    store.rename("October", "Oct 2026")
    assert store.names() == ["Oct 2026", "November"]
    with pytest.raises(SegmentationError) as caught:
        store.rename("Oct 2026", "November")
    assert caught.value.code == "saved-name-taken"
    store.delete("Oct 2026")
    assert store.names() == ["November"]
    with pytest.raises(SegmentationError) as caught:
        store.load("Oct 2026")
    assert caught.value.code == "saved-not-found" and "'November'" in str(caught.value)
    assert store.customers("November").keys.size == 240  # the other one's customers are untouched


def test_a_name_is_used_once_per_owner(store_url, runs):
    store = open_store(store_url)
    store.save(snapshot(runs))
    with pytest.raises(SegmentationError) as caught:
        store.save(snapshot(runs))
    assert caught.value.code == "saved-name-taken"
    for bad in ("", "   ", "x" * 201):
        with pytest.raises(SegmentationError) as caught:
            store.save(snapshot(runs, name=bad))
        assert caught.value.code == "saved-name-empty"
    assert store.count() == 1


def test_each_owner_sees_only_their_own(store_url, runs):
    store = open_store(store_url)
    alice, bob = "https://id.example alice", "https://id.example bob"
    store.save(snapshot(runs), owner=alice)
    store.save(snapshot(runs), owner=bob)  # the same name is another person's item
    store.save(snapshot(runs, "second", name="November"), owner=bob)
    assert store.names(alice) == ["October"]
    assert store.names(bob) == ["October", "November"]
    assert store.names() == []  # the local person (no sign-in) sees neither
    with pytest.raises(SegmentationError):
        store.load("November", owner=alice)
    store.delete("October", owner=alice)
    assert store.names(bob) == ["October", "November"]


def test_later_periods_numbered_like_a_saved_model_share_its_lineage(store_url, runs):
    store = open_store(store_url)
    first = store.save(snapshot(runs))
    second = store.save(snapshot(runs, "second", name="November"))
    again = store.save(snapshot(runs, "second", name="November again", like_model_id=None))
    other_run = segment(load(runs["second_csv"]), Settings(n_clusters=3))
    fresh = store.save(snapshot_of(other_run, name="Fresh", fingerprint="f"))
    assert second.lineage == first.lineage
    assert again.lineage == first.lineage  # the same model saved again: same line
    assert fresh.lineage not in (first.lineage, "")
    assert {i.lineage for i in store.list()} == {first.lineage, fresh.lineage}
