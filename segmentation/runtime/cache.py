"""A thread-safe cache bounded by the bytes its objects really hold.

The dashboard keeps parsed files, segmentations, projections and figures for
many sessions at once. Counting entries says nothing about memory (a
million-customer file holds hundreds of MB, a 100-row one a few KB), so this cache
counts bytes: every NumPy array, Arrow buffer, pandas column, Python string and
bytes object an entry reaches, each memory range counted once even when several
entries share it (a segmentation holds the dataset it was fitted on). When the
total is over the budget the least recently used entries go first; whoever
needs one again rebuilds it.

Cached objects are shared between threads (Streamlit sessions), so ``put``
freezes their NumPy arrays (``writeable=False``) and ``get`` hands out a
private view: dataclasses, dicts, lists and pandas objects are shallow copies
over the same buffers (pandas' copy-on-write gives a writer its own copy), so
a session can neither write into nor rebind what another session sees.
"""

from __future__ import annotations

import os
import threading
import weakref
from collections import OrderedDict
from collections.abc import Callable, Hashable, Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext
from dataclasses import dataclass, field
from typing import Any, TypeVar

import numpy as np

from .memory import release_freed_memory, trim_heap
from .sizes import as_ranges, found_in, freeze, private_view, union_bytes

T = TypeVar("T")

MEMORY_ENV_VAR = "SEGMENTATION_MEMORY_MB"
MIB = 2**20


def default_budget_bytes(meminfo: str = "/proc/meminfo") -> int:
    """The cache budget: ``SEGMENTATION_MEMORY_MB`` if set, else a quarter of the machine's memory.

    Parameters
    ----------
    meminfo : str
        Where to read ``MemTotal`` (Linux); 4 GiB is assumed if it cannot be read.

    Returns
    -------
    int
        The budget in bytes.

    Raises
    ------
    ValueError
        If ``SEGMENTATION_MEMORY_MB`` is not a positive number.
    """
    value = os.environ.get(MEMORY_ENV_VAR, "").strip()
    if value:
        mb = float(value)
        if mb <= 0:
            raise ValueError(f"{MEMORY_ENV_VAR} must be a positive number of MB, not {value!r}")
        return int(mb * MIB)
    return _mem_total_bytes(meminfo) // 4


def _mem_total_bytes(meminfo: str) -> int:
    try:
        with open(meminfo) as f:
            for line in f:
                if line.startswith("MemTotal:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        pass
    return 4 * 2**30


def _release_memory() -> None:
    """Hand freed memory back to the system: Arrow's pool, then every malloc arena."""
    release_freed_memory()
    trim_heap()


@dataclass
class _Entry:
    value: Any
    ranges: np.ndarray
    nbytes: int
    keepers: list[tuple[Any, np.ndarray]]  # (object that keeps ranges in memory, those ranges)

    @classmethod
    def of(cls, value: Any) -> _Entry:
        found = found_in(value)
        ranges = as_ranges(found)
        by_keeper: dict[int, tuple[Any, list[tuple[int, int]]]] = {}
        for start, end, keeper in found:
            if keeper is not None and _weakly_referable(keeper):
                by_keeper.setdefault(id(keeper), (keeper, []))[1].append((start, end))
        keepers = [(keeper, np.array(spans, dtype=np.int64)) for keeper, spans in by_keeper.values()]
        return cls(value, ranges, union_bytes(ranges), keepers)

    def still_held(self) -> _StillHeld:
        """What to watch once evicted: weak references to its keepers, with their ranges."""
        return _StillHeld([(weakref.ref(keeper), spans) for keeper, spans in self.keepers])


@dataclass
class _StillHeld:
    """The ranges of an evicted value that a session may still hold (a page run using it)."""

    watched: list[tuple[weakref.ref, np.ndarray]]

    def ranges(self) -> list[np.ndarray]:
        """Ranges whose keeper is still alive somewhere; forgets the others."""
        self.watched = [(ref, spans) for ref, spans in self.watched if ref() is not None]
        return [spans for _, spans in self.watched]


def _weakly_referable(obj: Any) -> bool:
    try:
        weakref.ref(obj)
    except TypeError:
        return False
    return True


@dataclass(frozen=True)
class CacheStats:
    """What the cache holds right now."""

    entries: int
    held_bytes: int
    budget_bytes: int
    evictions: int
    reserved_bytes: int = 0  # room made for work in progress (``BudgetedCache.admitted``)
    still_held_bytes: int = 0  # of held_bytes: evicted, but still used by a session (counted until let go)


@dataclass
class BudgetedCache:
    """A least-recently-used cache bounded by the bytes its values hold.

    Parameters
    ----------
    budget_bytes : int
        Most bytes the entries may hold together (shared buffers counted once).
        A single entry larger than the budget is still kept, alone, so that its
        session is not rebuilding it on every use.
    work_bytes : int
        How much input (e.g. uploaded file bytes) may be in builds at the same
        time; a build larger than that waits until it is alone. Bounds the
        temporary memory of parallel builds.
    small_bytes : int
        Builds with less input than this never wait (a page of a small file
        stays quick while a large file is being fitted).
    peak_factor : float
        Memory a large piece of work may need at its peak, its result included,
        as a multiple of its input bytes: that much room is made in the budget
        before it starts, so that the cache and the work in progress together
        stay within the budget. The default comes from the peaks of reading and
        fitting a million customers (docs/benchmarks.md, “Figures behind the code”).

    Examples
    --------
    >>> cache = BudgetedCache(budget_bytes=10 * 2**20)
    >>> cache.get_or_build(("zeros", 3), lambda: np.zeros(3)).tolist()
    [0.0, 0.0, 0.0]
    """

    budget_bytes: int
    work_bytes: int = 64 * MIB
    small_bytes: int = MIB
    peak_factor: float = 6.0
    _entries: OrderedDict = field(default_factory=OrderedDict, init=False, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, init=False, repr=False)
    _building: dict = field(default_factory=dict, init=False, repr=False)
    _work: threading.Condition = field(default_factory=threading.Condition, init=False, repr=False)
    _work_in_flight: int = field(default=0, init=False, repr=False)
    _admitted_here: threading.local = field(default_factory=threading.local, init=False, repr=False)
    _held: int = field(default=0, init=False, repr=False)
    _reserved: int = field(default=0, init=False, repr=False)
    _still_held: list = field(default_factory=list, init=False, repr=False)
    _evictions: int = field(default=0, init=False, repr=False)

    def get(self, key: Hashable) -> Any | None:
        """A private view of the cached value, or None; marks it most recently used."""
        with self._lock:
            entry = self._entries.get(key)
            if entry is None:
                return None
            self._entries.move_to_end(key)
        return private_view(entry.value)

    def __contains__(self, key: Hashable) -> bool:
        with self._lock:
            return key in self._entries

    def get_or_build(
        self,
        key: Hashable,
        build: Callable[[], T],
        *,
        cost: int = 0,
        while_building: Callable[[], AbstractContextManager] = nullcontext,
    ) -> T:
        """The cached value for ``key``, built (once, even if asked for by several threads) if missing.

        Parameters
        ----------
        key : Hashable
            Identifies the work: content hash plus settings, so that only
            identical work is shared.
        build : callable
            Makes the value; exceptions propagate and nothing is cached.
        cost : int
            Input bytes of the build, weighed against ``work_bytes``.
        while_building : callable
            Returns a context manager entered while waiting for and running a
            build (the dashboard passes a spinner); not entered on a hit.

        Returns
        -------
        object
            A private view of the value (see ``private_view``).
        """
        value = self.get(key)
        if value is not None:
            return value
        # Admitted first, then the build's own lock: a thread never holds a build lock while it
        # waits for its turn, so a build may need another cached value built inside it.
        with while_building(), self.admitted(cost) as room, self._build_lock(key):
            value = self.get(key)  # another thread may have built it meanwhile
            if value is not None:
                return value
            built = build()
            self._store(key, built, own_room=room)
        if cost >= self.small_bytes:
            _release_memory()  # the large build's temporaries are gone by now
        return private_view(built)

    def put(self, key: Hashable, value: Any) -> int:
        """Freeze and store ``value``, evicting least recently used entries over budget; return its bytes.

        The room made for work in progress (see ``admitted``) counts as used.
        """
        return self._store(key, value, own_room=0)

    def _store(self, key: Hashable, value: Any, *, own_room: int) -> int:
        """``put``, for the work that made ``own_room``: its result takes that room's place."""
        freeze(value)
        entry = _Entry.of(value)
        with self._lock:
            self._entries[key] = entry
            self._entries.move_to_end(key)
            evicted = self._evict_over(self.budget_bytes - (self._reserved - own_room))
        if evicted:
            _release_memory()
        return entry.nbytes

    def stats(self) -> CacheStats:
        """Entries, bytes held (shared buffers once), budget, evictions, room made for work, and
        how much of what is held was evicted but is still in use by a session."""
        with self._lock:
            self._held = self._union()
            in_entries = self._union(still_held=False)
            return CacheStats(
                len(self._entries),
                self._held,
                self.budget_bytes,
                self._evictions,
                self._reserved,
                self._held - in_entries,
            )

    def clear(self) -> None:
        """Forget every entry (what sessions still use stays counted until they let it go)."""
        with self._lock:
            self._entries.clear()
            self._held = self._union()
        _release_memory()

    def _evict_over(self, limit: int) -> int:
        """Under the lock: drop LRU entries (never the newest) until at most ``limit`` bytes are held.

        Held bytes are the entries' and, until the sessions using them let go,
        those of evicted values still in use (a page run holding a file that was
        evicted while it waited for its turn): evicting them freed nothing yet,
        so other entries go instead. An entry whose every buffer is also held
        by a more recent entry (a dataset inside a cached segmentation) frees
        nothing when dropped, so it stays: keeping it costs no memory and saves
        a rebuild. Returns how many entries were evicted.
        """
        evicted = 0
        self._held = self._union()
        while self._held > limit:
            victim = self._first_that_frees_memory()
            if victim is None:
                break
            entry = self._entries.pop(victim)
            self._still_held.append(entry.still_held())
            del entry  # what no session uses is freed here
            evicted += 1
            self._held = self._union()
        self._evictions += evicted
        return evicted

    def _first_that_frees_memory(self) -> Hashable | None:
        keys = list(self._entries)[:-1]  # never the newest
        still_held = self._still_held_ranges()
        for key in keys:
            others = [e.ranges for k, e in self._entries.items() if k != key] + still_held
            if union_bytes(np.concatenate(others)) < self._held:
                return key
        return None

    def _still_held_ranges(self) -> list[np.ndarray]:
        ranges = []
        for value in self._still_held:
            ranges.extend(value.ranges())
        self._still_held = [value for value in self._still_held if value.watched]
        return ranges

    def _union(self, *, still_held: bool = True) -> int:
        ranges = [e.ranges for e in self._entries.values()]
        if still_held:
            ranges += self._still_held_ranges()
        return union_bytes(np.concatenate(ranges)) if ranges else 0

    @contextmanager
    def _build_lock(self, key: Hashable) -> Iterator[None]:
        """Hold the lock of ``key``'s build, so identical work is done once."""
        with self._lock:
            lock, users = self._building.get(key, (threading.Lock(), 0))
            self._building[key] = (lock, users + 1)
        try:
            with lock:
                yield
        finally:
            with self._lock:
                lock, users = self._building[key]
                if users == 1:
                    del self._building[key]
                else:
                    self._building[key] = (lock, users - 1)

    @contextmanager
    def admitted(self, cost: int) -> Iterator[int]:
        """Run the block once the input of the work under way plus ``cost`` fits ``work_bytes``.

        ``get_or_build`` runs its builds inside; callers use it for heavy work
        that is not cached. Before the block starts, least recently used
        entries are evicted to make room for its peak memory (``peak_factor``
        times ``cost``), so that memory is free before the work needs it, not
        after. Work nested in admitted work of the same thread (a build that
        needs another cached value built first) is let through, so a thread
        never waits for itself. Yields the room made (0 for work let through).
        """
        if cost < self.small_bytes or getattr(self._admitted_here, "active", False):
            yield 0  # small, or nested in work this thread was already admitted for
            return
        with self._work:
            while self._work_in_flight and self._work_in_flight + cost > self.work_bytes:
                self._work.wait()
            self._work_in_flight += cost
        room = int(cost * self.peak_factor)
        self._reserve(room)
        self._admitted_here.active = True
        try:
            yield room
        finally:
            self._admitted_here.active = False
            with self._lock:
                self._reserved -= room
            with self._work:
                self._work_in_flight -= cost
                self._work.notify_all()

    def _reserve(self, room: int) -> None:
        """Count ``room`` as used and evict until the entries fit in what is left of the budget."""
        with self._lock:
            self._reserved += room
            evicted = self._evict_over(self.budget_bytes - self._reserved)
        if evicted:
            _release_memory()
