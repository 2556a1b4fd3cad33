"""segmentation.runtime.memory: freed memory goes back to the operating system."""

from __future__ import annotations

import gc
import sys

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pytest

from segmentation.runtime.memory import (
    freeze_long_lived_objects,
    give_freed_memory_back,
    map_large_blocks_separately,
    release_freed_memory,
    use_system_allocator,
)

MIB = 1 << 20


def _resident_mib() -> float:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    raise AssertionError("no VmRSS line")


linux_only = pytest.mark.skipif(
    not sys.platform.startswith("linux"), reason="reads /proc and glibc's mallopt"
)


@linux_only
def test_freed_numpy_arrays_leave_the_resident_set() -> None:
    assert map_large_blocks_separately() is True
    # Without the setting, freeing one 16 MiB block raises glibc's threshold, so
    # the 8 MiB arrays below land on the heap; those freed between kept ones
    # would then stay resident (none of the 128 MiB would be given back).
    np.ones(16 * MIB // 8).sum()
    arrays = [np.ones(8 * MIB // 8) for _ in range(32)]
    kept = arrays[1::2]
    before = _resident_mib()
    del arrays  # frees the 16 arrays not in ``kept``: 128 MiB
    assert before - _resident_mib() > 100
    assert len(kept) == 16


@linux_only
def test_released_arrow_memory_leaves_the_resident_set() -> None:
    pa.set_memory_pool(pa.mimalloc_memory_pool())
    base = pa.array(np.arange(MIB, dtype=np.int64))
    results = [pc.add(base, i) for i in range(16)]  # 128 MiB from mimalloc
    del results
    before = _resident_mib()  # freed, but still held by the allocator for reuse
    release_freed_memory()
    assert before - _resident_mib() > 100


@linux_only
def test_with_the_system_allocator_freed_arrow_memory_leaves_at_once() -> None:
    assert map_large_blocks_separately() is True
    assert use_system_allocator() is True
    assert pa.default_memory_pool().backend_name == "system"
    base = pa.array(np.arange(MIB, dtype=np.int64))
    results = [pc.add(base, i) for i in range(16)]  # 128 MiB through malloc
    before = _resident_mib()
    del results  # no release_freed_memory(): nothing is kept for reuse
    assert before - _resident_mib() > 100


def test_entry_points_make_both_settings_in_one_call() -> None:
    pa.set_memory_pool(pa.mimalloc_memory_pool())
    give_freed_memory_back()
    assert pa.default_memory_pool().backend_name == "system"


def test_frozen_objects_are_left_out_of_full_collections_and_later_cycles_are_not() -> None:
    class Cycle:
        pass

    before = Cycle()
    before.me = before
    assert freeze_long_lived_objects() > 1000  # everything imported so far (unfrozen by conftest)
    assert all(before is not o for o in gc.get_objects())  # no longer walked by collections
    later = Cycle()
    later.me = later
    assert any(later is o for o in gc.get_objects())  # made afterwards: collected as usual
