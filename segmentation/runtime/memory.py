"""Keep a large run's resident memory close to what it really holds.

Two allocators keep memory they have freed. Arrow's (mimalloc) keeps freed
pages for reuse. glibc's malloc gives a large block its own mapping, returned
to the system on ``free``, but after the first such block is freed it raises
that size threshold to the block's size, so later arrays of a few MB (a column
of a million floats is 8 MB) land on the heap and stay there once freed. How
much each kept on a million-row file: docs/benchmarks.md, “Figures behind the code”.
"""

from __future__ import annotations

import ctypes
import gc

import pyarrow as pa

_M_MMAP_THRESHOLD = -3  # glibc's mallopt parameter number (malloc.h)


def release_freed_memory() -> None:
    """Hand the memory Arrow has freed back to the operating system.

    Cheap (well under a millisecond); worth calling after a step that parsed
    or built large Arrow arrays and dropped its temporaries.
    """
    pa.default_memory_pool().release_unused()


def give_freed_memory_back() -> None:
    """The process-wide settings every entry point makes: freed memory leaves the resident set at once.

    Large blocks get their own mappings (``map_large_blocks_separately``) and
    Arrow allocates with malloc (``use_system_allocator``). The CLI, the
    dashboard and the benchmarks call this, so they measure what users run.
    """
    map_large_blocks_separately()
    use_system_allocator()


def use_system_allocator() -> bool:
    """Make Arrow allocate with the C library's malloc instead of its bundled mimalloc.

    mimalloc keeps pages Arrow has freed for reuse, and ``release_unused`` hands
    back only part of them (what it kept after reading a million-row CSV:
    docs/benchmarks.md). With malloc (and
    ``map_large_blocks_separately``) a freed buffer leaves the resident set at
    once. Process-wide, so entry points (the CLI, the dashboard) make the choice,
    not the library. Returns False, changing nothing, where the pool is missing.
    """
    try:
        pa.set_memory_pool(pa.system_memory_pool())
    except (NotImplementedError, pa.ArrowNotImplementedError):
        return False
    return True


def map_large_blocks_separately(threshold: int = 4 << 20) -> bool:
    """Make glibc map every block of ``threshold`` bytes or more on its own.

    Such a block goes back to the system as soon as it is freed, so a
    temporary array never outlives its step in the resident set. Smaller
    blocks stay on the heap, where the next step reuses them: mapped afresh,
    every page of Arrow's 1 MB read buffers and of a million-row mask was
    faulted in again each time (docs/benchmarks.md). 4 MB is also where
    NumPy starts asking for huge pages. The setting is process-wide, so entry
    points (the CLI, the dashboard) make it, not the library. Returns False,
    changing nothing, where the C library is not glibc.
    """
    try:
        mallopt = ctypes.CDLL(None).mallopt
    except (OSError, AttributeError):
        return False
    return bool(mallopt(_M_MMAP_THRESHOLD, threshold))


def trim_heap() -> bool:
    """Give the free parts of every malloc arena back to the system (glibc ``malloc_trim(0)``).

    A server runs each session in its own thread, and glibc gives threads their
    own arenas; blocks below the mmap threshold freed there stay resident until
    trimmed. Returns False, changing nothing, where the C library is not glibc.
    """
    try:
        malloc_trim = ctypes.CDLL(None).malloc_trim
    except (OSError, AttributeError):
        return False
    return bool(malloc_trim(0))


def freeze_long_lived_objects() -> int:
    """Leave every object alive now out of later garbage collections (``gc.freeze``); return how many.

    A server calls this once, after its imports: modules, classes and functions
    live as long as the process, yet every full collection walks them all
    (holding the GIL, so every session waits; how long: docs/benchmarks.md). Frozen, they cost nothing; the collections
    that remain look only at what the sessions made since, and run sooner, so
    cycles holding large results (a page's functions and its variables) are
    freed sooner. Objects are still freed as usual when their last reference goes.
    """
    gc.collect()  # garbage made while importing is not kept forever
    gc.freeze()
    return gc.get_freeze_count()
