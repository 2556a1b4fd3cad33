"""Measuring a process from inside (stages) and children from outside (runs)."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
from dataclasses import dataclass

_STATUS = re.compile(r"^(VmHWM|VmRSS):\s+(\d+) kB", re.M)


def memory_kib() -> dict[str, int]:
    """This process's current (VmRSS) and peak (VmHWM) resident set, in KiB."""
    with open("/proc/self/status") as f:
        return {k: int(v) for k, v in _STATUS.findall(f.read())}


def reset_peak() -> bool:
    """Reset VmHWM to the current RSS (Linux ≥ 4.0: write 5 to clear_refs)."""
    try:
        with open("/proc/self/clear_refs", "w") as f:
            f.write("5")
        return True
    except OSError:
        return False


class StageTimer:
    """Time and RSS of consecutive stages within one process.

    For each stage: wall seconds (perf_counter); ``peak_mib`` = VmHWM at the end
    minus VmRSS at the start (after resetting VmHWM), i.e. the extra resident
    memory the stage needed at its worst; ``retained_mib`` = VmRSS end − start.
    """

    def __init__(self) -> None:
        self.stages: dict[str, dict[str, float]] = {}
        self.peak_reset_works = reset_peak()

    def run(self, name, fn, *args, **kwargs):
        reset_peak()
        before = memory_kib()
        start = time.perf_counter()
        value = fn(*args, **kwargs)
        seconds = time.perf_counter() - start
        after = memory_kib()
        self.stages[name] = {
            "seconds": seconds,
            "peak_mib": (after["VmHWM"] - before["VmRSS"]) / 1024,
            "retained_mib": (after["VmRSS"] - before["VmRSS"]) / 1024,
            "rss_end_mib": after["VmRSS"] / 1024,
        }
        return value


@dataclass
class ChildRun:
    wall: float
    maxrss_mib: float
    user: float
    system: float
    returncode: int
    stdout: str
    stderr: str

    def last_json(self) -> dict:
        lines = [line for line in self.stdout.strip().splitlines() if line.strip()]
        return json.loads(lines[-1]) if lines else {}


def run_child(argv: list[str], *, cwd: str | None = None, env: dict | None = None) -> ChildRun:
    """Run ``argv`` in a fresh process; wall time and that child's own max RSS (os.wait4)."""
    out_path = f"/tmp/bench_child_{os.getpid()}.out"
    err_path = f"/tmp/bench_child_{os.getpid()}.err"
    with open(out_path, "w+") as out, open(err_path, "w+") as err:
        start = time.perf_counter()
        proc = subprocess.Popen(argv, cwd=cwd, env=env, stdout=out, stderr=err)
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        stdout, stderr = out.read(), err.read()
    os.unlink(out_path)
    os.unlink(err_path)
    return ChildRun(
        wall, usage.ru_maxrss / 1024, usage.ru_utime, usage.ru_stime, proc.returncode, stdout, stderr
    )


def python() -> str:
    return sys.executable
