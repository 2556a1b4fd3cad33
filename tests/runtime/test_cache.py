"""The byte-budgeted cache: counting held bytes, LRU eviction, sharing read-only, threads."""

from __future__ import annotations

import threading
from contextlib import contextmanager
from dataclasses import dataclass

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest

from segmentation import Settings, load
from segmentation.runtime.cache import MEMORY_ENV_VAR, BudgetedCache, default_budget_bytes
from segmentation.runtime.sizes import freeze, nbytes_of, private_view
from tests.fixtures import customers_csv, fitted_run

MB = 2**20


@dataclass(frozen=True)
class Holder:
    array: np.ndarray
    frame: pd.DataFrame


@pytest.fixture(scope="module")
def run():
    return fitted_run(2000, seed=3, n_clusters=3)


# ---------------------------------------------------------------- counting


def test_an_array_and_its_views_are_counted_once():
    a = np.zeros(100_000)
    assert nbytes_of(a) == a.nbytes
    views = [a, a[10:], a.reshape(1000, 100), {"again": a}]
    assert a.nbytes <= nbytes_of(views) < a.nbytes + 1000  # plus the small list, dict and key


def test_frames_count_numpy_and_arrow_columns():
    numbers = np.arange(50_000, dtype=np.float64)
    frame = pd.DataFrame({"x": numbers, "s": pd.array([f"c{i}" for i in range(50_000)], dtype="string")})
    arrow = pa.chunked_array([pa.array([f"c{i}" for i in range(50_000)], type=pa.large_string())])
    assert nbytes_of(frame) >= numbers.nbytes + arrow.nbytes
    assert nbytes_of(frame) < 2 * (numbers.nbytes + arrow.nbytes)


def test_a_segmentation_counts_its_dataset_once(run):
    dataset_bytes = nbytes_of(run.dataset)
    assert dataset_bytes >= run.dataset.raw.memory_usage(deep=True).sum() * 0.9
    assert dataset_bytes < nbytes_of(run) < 2 * dataset_bytes + nbytes_of(run.result.segments) * 20
    assert nbytes_of([run, run.dataset]) == pytest.approx(nbytes_of(run), abs=1024)


def test_the_default_budget_is_a_quarter_of_the_machine(monkeypatch, tmp_path):
    meminfo = tmp_path / "meminfo"
    meminfo.write_text("MemTotal:       16000000 kB\nMemFree:  1 kB\n")
    monkeypatch.delenv(MEMORY_ENV_VAR, raising=False)
    assert default_budget_bytes(str(meminfo)) == 16_000_000 * 1024 // 4
    monkeypatch.setenv(MEMORY_ENV_VAR, "1024")
    assert default_budget_bytes(str(meminfo)) == 1024 * MB
    monkeypatch.setenv(MEMORY_ENV_VAR, "-5")
    with pytest.raises(ValueError, match=MEMORY_ENV_VAR):
        default_budget_bytes(str(meminfo))


# ---------------------------------------------------------------- eviction


def test_least_recently_used_entries_go_first_when_over_budget():
    cache = BudgetedCache(budget_bytes=int(2.5 * MB))
    for name in "abc":
        cache.put(name, np.ones(MB // 8))  # 1 MB each
    assert "a" not in cache and "b" in cache and "c" in cache
    cache.get("b")  # b is now more recent than c
    cache.put("d", np.ones(MB // 8))
    assert "c" not in cache and "b" in cache and "d" in cache
    stats = cache.stats()
    assert stats.held_bytes <= stats.budget_bytes and stats.evictions == 2


def test_shared_buffers_count_once_across_entries():
    cache = BudgetedCache(budget_bytes=int(1.5 * MB))
    big = np.ones(MB // 8)
    cache.put("array", big)
    cache.put("in a dict", {"same": big})
    assert "array" in cache and "in a dict" in cache
    assert big.nbytes <= cache.stats().held_bytes < big.nbytes + 1000


def test_an_entry_held_inside_a_newer_one_is_kept_because_dropping_it_frees_nothing():
    cache = BudgetedCache(budget_bytes=int(2.5 * MB))
    dataset = np.ones(MB // 8)
    cache.put("dataset", dataset)
    cache.put("other", np.ones(MB // 8))
    cache.put("result", {"dataset": dataset, "segments": np.ones(MB // 8)})  # 3 MB in all: over budget
    assert "dataset" in cache and "result" in cache and "other" not in cache


def test_an_evicted_entry_is_rebuilt_when_needed_again():
    cache = BudgetedCache(budget_bytes=MB)
    builds: list[str] = []

    def build(name):
        builds.append(name)
        return np.full(MB // 8, len(builds), dtype=np.float64)

    cache.get_or_build("a", lambda: build("a"))
    cache.get_or_build("b", lambda: build("b"))  # evicts a
    again = cache.get_or_build("a", lambda: build("a"))
    assert builds == ["a", "b", "a"] and again[0] == 3


def test_an_entry_larger_than_the_budget_is_kept_alone():
    cache = BudgetedCache(budget_bytes=MB)
    cache.put("small", np.ones(10))
    cache.put("huge", np.ones(MB // 4))
    assert "huge" in cache and "small" not in cache


def test_an_evicted_value_a_session_still_uses_counts_until_it_lets_go():
    cache = BudgetedCache(budget_bytes=int(2.5 * MB))
    in_use = cache.get_or_build("a", lambda: np.ones(MB // 8))  # a page run holds it...
    cache.put("b", np.ones(MB // 8))
    cache.put("c", np.ones(MB // 8))  # ...when "a" is evicted: that freed nothing yet
    assert "a" not in cache and "b" not in cache and "c" in cache  # so "b" went too
    assert cache.stats().still_held_bytes == in_use.nbytes
    assert cache.stats().held_bytes == 2 * MB
    del in_use  # the run ends
    assert cache.stats().still_held_bytes == 0 and cache.stats().held_bytes == MB


def test_evicted_frames_count_while_a_session_holds_a_view_of_them():
    csv = customers_csv(2000, seed=3)
    size = nbytes_of(load(csv))
    cache = BudgetedCache(budget_bytes=size + MB)
    view = cache.get_or_build("dataset", lambda: load(csv))  # only the session's view is left of it
    cache.put("other", np.ones(2 * MB // 8))  # evicts the dataset, which the view still holds
    assert "dataset" not in cache
    assert cache.stats().still_held_bytes > 0.9 * size
    del view
    assert cache.stats().still_held_bytes == 0


def test_room_for_a_large_build_is_made_before_it_starts():
    cache = BudgetedCache(budget_bytes=4 * MB, small_bytes=MB, peak_factor=2.0)
    for name in "abc":
        cache.put(name, np.ones(MB // 8))  # 1 MB each: 3 MB held
    seen = {}

    def build():  # input 1 MB, so up to 2 MB at its peak: only 2 MB may stay cached
        seen.update(stats=cache.stats(), cached=[name for name in "abc" if name in cache])
        return np.ones(MB // 8)

    cache.get_or_build("big", build, cost=MB)
    assert seen["cached"] == ["b", "c"]  # the least recently used went first
    assert seen["stats"].held_bytes + seen["stats"].reserved_bytes <= 4 * MB
    assert cache.stats().reserved_bytes == 0 and "big" in cache


def test_a_value_built_inside_large_work_does_not_take_that_works_room():
    cache = BudgetedCache(budget_bytes=4 * MB, small_bytes=MB, peak_factor=2.0)
    for name in "ab":
        cache.put(name, np.ones(MB // 8))
    seen = {}

    def outer():  # 2 MB of room while it runs; it reads a 1 MB value first
        cache.get_or_build("inner", lambda: np.ones(MB // 8), cost=MB)
        seen["cached"] = [name for name in ("a", "b", "inner") if name in cache]
        return np.ones(MB // 8)

    cache.get_or_build("outer", outer, cost=MB)
    assert seen["cached"] == ["b", "inner"]  # 2 MB cached + the 2 MB the outer work may still need
    assert [name for name in ("b", "inner", "outer") if name in cache] == ["b", "inner", "outer"]


def test_room_made_for_work_in_progress_counts_against_what_others_put():
    cache = BudgetedCache(budget_bytes=4 * MB, small_bytes=MB, peak_factor=2.0)
    started, release = threading.Event(), threading.Event()

    def large():  # 2 MB of room while it runs
        started.set()
        release.wait(5)
        return np.ones(10)

    worker = threading.Thread(target=cache.get_or_build, args=("large", large), kwargs={"cost": MB})
    worker.start()
    started.wait(5)
    for name in "abc":
        cache.put(name, np.ones(MB // 8))  # another session's results, 1 MB each
    assert "a" not in cache and "b" in cache and "c" in cache  # 2 MB + the 2 MB of room
    release.set()
    worker.join()


def test_a_failed_build_caches_nothing():
    cache = BudgetedCache(budget_bytes=MB)

    def fail():
        raise RuntimeError("no")

    with pytest.raises(RuntimeError):
        cache.get_or_build("x", fail)
    assert "x" not in cache
    assert cache.get_or_build("x", lambda: np.ones(2)).tolist() == [1.0, 1.0]


# ---------------------------------------------------------------- read-only sharing


def test_a_session_cannot_write_into_a_shared_array(run):
    cache = BudgetedCache(budget_bytes=100 * MB)
    cache.put("run", run)
    mine = cache.get("run")
    with pytest.raises(ValueError, match="read-only"):
        mine.result.segments[0] = 99
    with pytest.raises(ValueError, match="read-only"):
        mine.data.usable[:] = False


def test_a_session_writing_a_frame_or_field_changes_only_its_own_view(run):
    cache = BudgetedCache(budget_bytes=100 * MB)
    cache.put("run", run)
    mine, theirs = cache.get("run"), cache.get("run")
    first_cell = theirs.dataset.raw.iloc[0, 0]
    mine.dataset.raw.iloc[0, 0] = "someone else's edit"
    mine.data.numeric.iloc[0, 0] = -1.0
    mine.names[1] = "Renamed"
    mine.settings = Settings(n_clusters=9)
    again = cache.get("run")
    assert again.dataset.raw.iloc[0, 0] == first_cell
    assert again.data.numeric.iloc[0, 0] != -1.0
    assert again.names.get(1) != "Renamed" and again.settings.n_clusters == 3


def test_freeze_and_private_view_keep_frozen_dataclasses_working():
    holder = freeze(Holder(np.arange(3.0), pd.DataFrame({"x": [1.0, 2.0]})))
    view = private_view(holder)
    assert isinstance(view, Holder) and view.array is holder.array
    with pytest.raises(ValueError):
        view.array[0] = 5
    view.frame.loc[0, "x"] = 7.0
    assert holder.frame.loc[0, "x"] == 1.0


# ---------------------------------------------------------------- threads


def missed(signal: threading.Semaphore):
    """A ``while_building`` for ``get_or_build`` that signals: this thread missed the cache and waits."""

    @contextmanager
    def waiting():
        signal.release()
        yield

    return waiting


def test_identical_work_asked_for_by_many_threads_is_built_once():
    cache = BudgetedCache(budget_bytes=10 * MB)
    builds: list[int] = []
    waiting, release = threading.Semaphore(0), threading.Event()

    def build():
        builds.append(1)
        release.wait(5)  # still building while the others ask for it
        return np.ones(4)

    threads = [
        threading.Thread(
            target=cache.get_or_build, args=("same", build), kwargs={"while_building": missed(waiting)}
        )
        for _ in range(6)
    ]
    for t in threads:
        t.start()
    assert all(waiting.acquire(timeout=5) for _ in threads)  # all six missed the cache
    release.set()
    for t in threads:
        t.join()
    assert len(builds) == 1


def test_small_work_does_not_wait_for_a_large_build():
    cache = BudgetedCache(budget_bytes=10 * MB, work_bytes=50 * MB)
    started, release = threading.Event(), threading.Event()

    def slow():
        started.set()
        release.wait(5)
        return np.ones(4)

    big = threading.Thread(target=cache.get_or_build, args=("big", slow), kwargs={"cost": 52 * MB})
    big.start()
    started.wait(5)
    cache.get_or_build("small", lambda: np.ones(2), cost=10_000)
    assert big.is_alive()  # the small build did not queue behind the large one
    release.set()
    big.join()


def test_two_large_builds_run_one_after_the_other():
    cache = BudgetedCache(budget_bytes=10 * MB, work_bytes=64 * MB)
    running, peak = [0], [0]
    lock = threading.Lock()

    waiting, release = threading.Semaphore(0), threading.Event()

    def build():
        with lock:
            running[0] += 1
            peak[0] = max(peak[0], running[0])
        release.wait(5)  # the first build runs until all three have asked
        with lock:
            running[0] -= 1
        return np.ones(2)

    threads = [
        threading.Thread(
            target=cache.get_or_build,
            args=(f"file{i}", build),
            kwargs={"cost": 52 * MB, "while_building": missed(waiting)},
        )
        for i in range(3)
    ]
    for t in threads:
        t.start()
    assert all(waiting.acquire(timeout=5) for _ in threads)
    release.set()
    for t in threads:
        t.join()
    assert peak[0] == 1


def test_a_build_that_needs_another_large_build_does_not_wait_for_itself():
    cache = BudgetedCache(budget_bytes=10 * MB, work_bytes=64 * MB)

    def result():
        data = cache.get_or_build("dataset", lambda: np.ones(4), cost=52 * MB)  # built inside
        return data * 2

    done = threading.Thread(target=cache.get_or_build, args=("result", result), kwargs={"cost": 52 * MB})
    done.start()
    done.join(timeout=10)
    assert not done.is_alive() and "result" in cache and "dataset" in cache


def test_a_large_build_asked_for_while_another_builds_it_inside_its_own_does_not_deadlock():
    cache = BudgetedCache(budget_bytes=100 * MB, work_bytes=64 * MB)
    inside, asked = threading.Event(), threading.Semaphore(0)

    def result():  # a fit that reads its file (evicted) inside its own turn
        inside.set()
        asked.acquire(timeout=5)  # the other thread has missed the cache and waits for its turn
        return cache.get_or_build("dataset", lambda: np.ones(4), cost=52 * MB) * 2

    fit = threading.Thread(target=cache.get_or_build, args=("result", result), kwargs={"cost": 52 * MB})
    fit.start()
    inside.wait(5)
    read = threading.Thread(
        target=cache.get_or_build,
        args=("dataset", lambda: np.ones(4)),
        kwargs={"cost": 52 * MB, "while_building": missed(asked)},
    )
    read.start()  # another page wants the same file: it waits for its turn without holding its lock
    fit.join(timeout=10)
    read.join(timeout=10)
    assert not fit.is_alive() and not read.is_alive()
