"""Server set-up: the one byte-budgeted cache of all sessions, large work behind pages (CPU priority), the log."""

from __future__ import annotations

import logging
import os
import sys
import threading
from collections.abc import Callable, Hashable
from contextlib import contextmanager, nullcontext, suppress
from pathlib import Path
from typing import TypeVar

import streamlit as st

from segmentation.runtime.cache import MIB, BudgetedCache, default_budget_bytes
from segmentation.runtime.memory import freeze_long_lived_objects

# One budgeted cache for the whole server process; st.cache_resource only keeps
# that single instance alive across reruns and sessions.
log = logging.getLogger("segmentation.app")


V = TypeVar("V")


SWITCH_INTERVAL_S = 0.001


@st.cache_resource(show_spinner=False)
def server_cache() -> BudgetedCache:
    """The cache every session shares, bounded by ``SEGMENTATION_MEMORY_MB``.

    Made once per server process, by its first script run, after the imports:
    also the moment to leave what they made out of garbage collections.
    """
    _log_to_server_output()
    freeze_long_lived_objects()
    # One session's large work (pandas, scikit-learn) holds the GIL in long stretches, and
    # the thread serving everyone else's pages waits up to the switch interval each time it
    # needs it: hundreds of times per page load. 1 ms instead of Python's 5 ms.
    sys.setswitchinterval(SWITCH_INTERVAL_S)
    cache = BudgetedCache(budget_bytes=default_budget_bytes())
    log.info("memory budget for cached work: %d MB", cache.budget_bytes // MIB)
    return cache


def _log_to_server_output() -> None:
    """Streamlit configures only its own loggers; ours writes INFO lines to stderr too."""
    if not log.handlers:
        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
        log.addHandler(handler)
        log.setLevel(logging.INFO)


def cached(key: Hashable, build: Callable[[], V], *, cost: int = 0, spinner: str | None = None) -> V:
    """``build()`` once per key for all sessions, within the memory budget; a spinner while it runs.

    The one way pages cache work: keys start with what is built and hold the
    content hash and settings it depends on. Large work runs behind other
    sessions' pages (see ``behind_pages``).
    """

    @contextmanager
    def building():
        with st.spinner(spinner) if spinner else nullcontext(), behind_pages(cost):
            yield

    return server_cache().get_or_build(key, build, cost=cost, while_building=building)


BACKGROUND_NICENESS = 10


@contextmanager
def behind_pages(cost: int):
    """Run large work (``cost`` input bytes or more than the cache's small_bytes) at a lower CPU priority.

    Another session's page is a few tenths of a second of work; reading or
    fitting a file of a million customers is seconds. On a busy server the
    operating system then gives the pages the CPU first and the large work
    what is left. Linux sets the priority of each thread on its own (raising
    it back needs privileges, so an unprivileged server's script thread keeps
    the lower priority for the rest of its run, which had to wait for this
    work anyway). Elsewhere this does nothing.
    """
    thread = threading.get_native_id()
    try:
        before = os.getpriority(os.PRIO_PROCESS, thread)
        if cost >= server_cache().small_bytes:
            os.setpriority(os.PRIO_PROCESS, thread, max(before, BACKGROUND_NICENESS))
    except (AttributeError, OSError):
        before = None
    try:
        yield
    finally:
        if before is not None:
            with suppress(OSError):  # not allowed to raise it again without privileges
                os.setpriority(os.PRIO_PROCESS, thread, before)


def log_work(what: str, key: str, size: int, rows: int | None, seconds: float, detail: str = "") -> None:
    """One server-log line: sizes, rows, seconds and memory; never file names or cells."""
    stats = server_cache().stats()
    log.info(
        "%s: data %s, %.1f MB, %s rows%s, %.2f s; cache holds %.0f of %.0f MB in %d entries "
        "(%d evicted so far, %.0f MB of them still in use); process RSS %.0f MB",
        what,
        key[:12],
        size / MIB,
        f"{rows:,}" if rows is not None else "?",
        detail,
        seconds,
        stats.held_bytes / MIB,
        stats.budget_bytes / MIB,
        stats.entries,
        stats.evictions,
        stats.still_held_bytes / MIB,
        _rss_mb(),
    )


def _rss_mb() -> float:
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except (OSError, ValueError):
        pass
    return float("nan")
