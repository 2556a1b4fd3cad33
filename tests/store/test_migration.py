"""The migration matrix on a hand-made pair of periods, new and lost customers, movers, and history."""

from __future__ import annotations

import io

import numpy as np
import pandas as pd
import pytest

from segmentation import SegmentationError
from segmentation.reuse.drift import population_stability_index
from segmentation.store.history import history_figure, lineage_history
from segmentation.store.migration import migrate, sankey_figure
from segmentation.store.store import Customers, open_store
from tests.store.helpers import snapshot

NAMES_OLD = {1: "Loyal", 2: "At risk"}
NAMES_NEW = {1: "Loyal", 2: "At risk", 3: "New big spenders"}


def _period(label, pairs, names):
    keys, segments = zip(*pairs, strict=True)
    return Customers(label, np.array(keys, dtype=object), np.array(segments, dtype=np.int32), names)


OLD = _period(
    "October",
    [("007", 1), ("7", 2), ("A1", 1), ("A2", 1), ("A3", 2), ("gone", 2), ("A1", 2), ("", 1)],
    NAMES_OLD,
)
NEW = _period(
    "November",
    [("7", 1), ("007", 1), ("A1", 2), ("A2", 3), ("A3", 2), ("fresh", 3), ("=cmd", 0)],
    NAMES_NEW,
)


def test_the_matrix_counts_each_customer_once_by_key_as_written():
    moves = migrate(OLD, NEW)
    # 007: 1→1, 7: 2→1 (leading zeros make them two customers), A1: 1→2 (its repeat set aside),
    # A2: 1→3, A3: 2→2; "gone" lost; "fresh" and "=cmd" new; the empty key cannot be followed.
    assert moves.counts.to_numpy().tolist() == [[1, 1, 1, 0], [1, 1, 0, 0]]
    assert list(moves.counts.index) == [1, 2] and list(moves.counts.columns) == [1, 2, 3, 0]
    np.testing.assert_allclose(moves.shares.loc[1].to_numpy(), [1 / 3, 1 / 3, 1 / 3, 0])
    np.testing.assert_allclose(moves.shares.loc[2].to_numpy(), [0.5, 0.5, 0, 0])
    assert moves.n_matched == 5 and moves.n_stayed == 2
    assert sorted(moves.new_keys) == ["=cmd", "fresh"]
    assert list(moves.lost_keys) == ["gone"]
    assert moves.repeated_old == 1 and moves.repeated_new == 0
    assert moves.labeled(moves.counts).index.tolist() == ["1 Loyal", "2 At risk"]
    assert moves.labeled(moves.counts).columns.tolist()[-1] == "not segmented"
    assert "2 stayed in their segment (40.0%)" in moves.lines()[0]


def test_movers_between_two_segments_download_with_keys_exactly():
    moves = migrate(OLD, NEW)
    assert moves.movers(1, 3)["key"].tolist() == ["A2"]
    table = pd.read_csv(io.BytesIO(moves.moves_csv(2, 1)), dtype=str)
    assert table.to_dict("records") == [
        {
            "customer_key": "7",
            "old_segment": "2",
            "old_segment_name": "At risk",
            "new_segment": "1",
            "new_segment_name": "Loyal",
        }
    ]
    everyone = pd.read_csv(io.BytesIO(moves.moves_csv()), dtype=str)
    assert sorted(everyone["customer_key"]) == ["007", "7", "A1", "A2", "A3"]
    with pytest.raises(SegmentationError) as caught:
        moves.movers(3, 1)
    assert caught.value.code == "migration-no-segment"


def test_a_formula_like_key_is_guarded_in_the_download():
    old = _period("a", [("=1+1", 1)], NAMES_OLD)
    new = _period("b", [("=1+1", 2)], NAMES_OLD)
    assert b"'=1+1" in migrate(old, new).moves_csv()


def test_two_periods_without_a_common_key_are_one_message():
    old = _period("October", [("0001", 1), ("0002", 2)], NAMES_OLD)
    new = _period("November", [("1", 1), ("2", 2)], NAMES_OLD)
    with pytest.raises(SegmentationError) as caught:
        migrate(old, new)
    assert caught.value.code == "migration-no-overlap"
    assert "'0001'" in str(caught.value) and "'1'" in str(caught.value)


def test_the_sankey_has_one_band_per_move_sized_by_customers():
    moves = migrate(OLD, NEW)
    link = sankey_figure(moves).data[0].link
    assert sum(link.value) == moves.n_matched
    assert len(link.value) == int((moves.counts.to_numpy() > 0).sum())


def test_history_of_a_lineage_and_its_drift(store_url, runs):
    store = open_store(store_url)
    store.save(snapshot(runs, name="October"))
    store.save(snapshot(runs, "second", name="November"))
    history = lineage_history(store, "November")
    first, second = runs["first"], runs["second"]
    assert history.periods == ["2026-10-31 October", "2026-11-30 November"]
    assert history.sizes.iloc[0].tolist() == first.profiles.summary["size"].tolist()
    assert history.sizes.iloc[1].tolist() == second.profiles.summary["size"].tolist()
    psi = population_stability_index(first.profiles.summary["share"], second.profiles.summary["share"])
    assert history.psi == pytest.approx(psi)
    assert len(history_figure(history).data) == first.result.n_clusters
    assert set(history.shifts.index) == set(first.selection.numeric)


def test_migration_of_two_saved_periods(store_url, runs):
    store = open_store(store_url)
    store.save(snapshot(runs, name="October"))
    store.save(snapshot(runs, "second", name="November"))
    moves = migrate(store.customers("October"), store.customers("November"))
    old_keys = set(runs["first"].dataset.raw["CustomerID"])
    new_keys = set(runs["second"].dataset.raw["CustomerID"])
    assert moves.n_matched == len(old_keys & new_keys) == 200
    assert sorted(moves.new_keys) == sorted(new_keys - old_keys)
    assert int(moves.counts.to_numpy().sum()) == 200
