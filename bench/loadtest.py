"""Load test: eight people, each with their own 1M-customer file, on one dashboard server.

    make loadtest              # = .venv/bin/python -m bench.loadtest
    .venv/bin/python -m bench.loadtest --sessions 3 --rows 200000 --no-report   # a quick try

Starts ``streamlit run app.py`` with ``SEGMENTATION_MEMORY_MB=1024`` and a
headless Chromium (Debian's /usr/bin/chromium, driven by Playwright's async
API) with one browser context per person, all at once. Each person:

1. opens the dashboard and uploads its own file (``python -m segmentation
   generate`` with its own seed; person *i* has 1,000,000 + *i* customers, so
   the row counts on the page tell whose data a session sees);
2. opens Segments (scatter drawn, caption "Showing … of 1,000,00i");
3. changes k twice with the keyboard on the k slider (6, then 7);
4. person 2 also scores k on the Choose k page.

Meanwhile a probe person on synthetic data keeps switching pages and opening
new tabs: its waits are the responsiveness figures (target ≤ 2 s); it starts
20 s before the crowd, so the report shows the same loads on a quiet server. On a real
deployment every browser runs on its own person's machine, not beside the
server: here the crowd's Chromium runs only when nothing else wants the CPU
(SCHED_IDLE), and the probe's own Chromium takes the CPU whenever it has
work (real-time round robin, SCHED_RR), so its waits are the server's answer
plus one browser drawing it as on a computer of its own, not a browser
queued behind eight fits on the server's two cores (Chromium itself starts a
new tab's renderer at nice 5). The probe's browser can only slow the server
down, never speed it up; the server's answer is also read off the websocket
and reported on its own. A thread
polls the server's /proc/PID/status (VmRSS; VmHWM at the end) and another
``/_stcore/health``. At the end the first person comes back (Data, then
Segments) and must still get its own segments, rebuilt if they were evicted.
Checked: peak RSS ≤ 1024 MB + 640 MB + 2.5 × the uploads' size; every page
showed its own person's row count; health always answered; the server log has
one ``upload:`` line per upload and ``fit:`` lines, with no file name or
customer ID. Results go to bench/out/loadtest.json and a section of
docs/benchmarks.md (kept when ``make bench`` regenerates that file).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import re
import statistics
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from dataclasses import asdict, dataclass, field
from pathlib import Path

from google.protobuf.message import DecodeError
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

from .browser import CHROMIUM, CHROMIUM_ARGS, IDLE, SCATTER, Server, status_kib
from .report import LOADTEST_END as SECTION_END
from .report import LOADTEST_START as SECTION_START

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
DOC = ROOT / "docs" / "benchmarks.md"
BUDGET_MB = 1024
HEADROOM_MB = 640
UPLOAD_FACTOR = 2.5
RESPONSE_TARGET_S = 2.0
TIMEOUT_MS = 300_000
QUIET_S = 20  # the probe alone on the server before the crowd arrives
K_LABEL = "Number of segments (k)"


def log(message: str) -> None:
    print(f"[loadtest {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


# ---------------------------------------------------------------- data and server


def make_files(folder: Path, sessions: int, rows: int) -> list[Path]:
    """One file per person (seed 101 + i, rows + i customers); reused if already there."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for i in range(sessions):
        path = folder / f"loadtest_customers_{rows + i}_seed{101 + i}.csv"
        if not path.exists():
            log(f"generating {path.name}")
            generate = ["generate", "-n", str(rows + i), "--seed", str(101 + i), "-o", str(path)]
            subprocess.run(
                [sys.executable, "-m", "segmentation", *generate],
                cwd=ROOT,
                check=True,
                stdout=subprocess.DEVNULL,
            )
        paths.append(path)
    return paths


# ---------------------------------------------------------------- watchers (threads)


def _stat_fields(pid: int) -> list[str] | None:
    """The fields of ``/proc/PID/stat`` after the command name (None once the process is gone).

    Field n of proc(5) is at index n - 3: state is 0, utime 11, stime 12, policy 38.
    """
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    return stat[stat.rindex(")") + 2 :].split()


def cpu_seconds(pid: int) -> float | None:
    """User + system CPU seconds a process has used (None once it is gone)."""
    fields = _stat_fields(pid)
    return None if fields is None else (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def runs_idle(pid: int) -> bool:
    """Whether a process runs under SCHED_IDLE (only when no other process wants the CPU)."""
    fields = _stat_fields(pid)
    return fields is not None and int(fields[38]) == os.SCHED_IDLE


def chromium_pids() -> list[int]:
    """Every Chromium process (browser, GPU, renderers of all contexts) on the machine."""
    pids = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if "chrom" in (entry / "comm").read_text():
                    pids.append(int(entry.name))
            except OSError:
                pass
    return pids


@dataclass
class Watchers:
    """Polls the server's memory every 50 ms, its health every 0.5 s, and the CPU time of the
    server and of Chromium every second, until stopped."""

    pid: int
    url: str
    peak_rss_kib: int = 0
    cpu: dict[int, float] = field(default_factory=dict)  # pid -> CPU seconds, last seen
    crowd: set[int] = field(default_factory=set)  # Chromium processes of the crowd (SCHED_IDLE)
    rss_samples: list[tuple[float, int]] = field(default_factory=list)
    health: list[tuple[float, float, bool]] = field(default_factory=list)  # (t, seconds, ok)
    stop: threading.Event = field(default_factory=threading.Event)

    def __enter__(self) -> Watchers:
        self.t0 = time.monotonic()
        self.cpu_start = {pid: cpu_seconds(pid) or 0.0 for pid in [self.pid, *chromium_pids()]}
        targets = (self._memory, self._health, self._cpu)
        self.threads = [threading.Thread(target=f, daemon=True) for f in targets]
        for t in self.threads:
            t.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop.set()
        for t in self.threads:
            t.join()

    def _memory(self) -> None:
        while not self.stop.wait(0.05):
            rss = status_kib(self.pid).get("VmRSS", 0)
            self.peak_rss_kib = max(self.peak_rss_kib, rss)
            self.rss_samples.append((time.monotonic() - self.t0, rss))

    def _cpu(self) -> None:
        while not self.stop.wait(1.0):
            for pid in [self.pid, *chromium_pids()]:
                seconds = cpu_seconds(pid)
                if seconds is not None:
                    self.cpu[pid] = seconds
                if pid != self.pid and runs_idle(pid):
                    self.crowd.add(pid)

    def cpu_used(self) -> dict[str, float]:
        """CPU seconds used while watched: the server, and every Chromium process together."""
        used = {pid: seconds - self.cpu_start.get(pid, 0.0) for pid, seconds in self.cpu.items()}
        chromium = {pid: seconds for pid, seconds in used.items() if pid != self.pid}
        return {
            "server_s": used.get(self.pid, 0.0),
            "chromium_s": sum(chromium.values()),
            "crowd_chromium_s": sum(seconds for pid, seconds in chromium.items() if pid in self.crowd),
            "wall_s": time.monotonic() - self.t0,
        }

    def _health(self) -> None:
        while not self.stop.wait(0.5):
            start = time.monotonic()
            try:
                with urllib.request.urlopen(f"{self.url}/_stcore/health", timeout=10) as r:
                    ok = r.status == 200 and r.read().decode().strip() == "ok"
            except (urllib.error.URLError, OSError):
                ok = False
            self.health.append((start - self.t0, time.monotonic() - start, ok))


# ---------------------------------------------------------------- a person (async Playwright)


async def idle(page) -> float:
    """perf_counter time at which the app was idle (confirmed 250 ms later)."""
    while True:
        await page.wait_for_selector(IDLE, state="attached", timeout=TIMEOUT_MS)
        seen = time.perf_counter()
        await page.wait_for_timeout(250)
        if await page.locator(IDLE).count():
            return seen


async def go_to(page, title: str) -> None:
    nav = page.get_by_test_id("stSidebarNav")
    await nav.get_by_role("link").filter(has_text=re.compile(rf"{re.escape(title)}$")).click()


def rows_text(n: int) -> str:
    return f"{n:,} rows"


@dataclass
class Person:
    index: int
    csv: Path
    rows: int
    times: dict[str, float] = field(default_factory=dict)
    own_data_seen: list[bool] = field(default_factory=list)
    error: str | None = None


async def check_own_data(page, person: Person) -> None:
    """The sidebar names this person's file and row count, and no other person's."""
    from playwright.async_api import expect

    sidebar = page.get_by_test_id("stSidebar")
    await expect(sidebar).to_contain_text(person.csv.name, timeout=TIMEOUT_MS)
    await expect(sidebar).to_contain_text(rows_text(person.rows), timeout=TIMEOUT_MS)
    text = await sidebar.inner_text()
    others = re.findall(r"loadtest_customers_\d+_seed\d+\.csv", text)
    person.own_data_seen.append(others == [person.csv.name])


async def run_person(browser, url: str, person: Person, choose_k: bool) -> None:
    from playwright.async_api import expect

    context = await browser.new_context(viewport={"width": 1400, "height": 1000})
    page = await context.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    try:
        t = time.perf_counter()
        await page.goto(url)
        person.times["open"] = await idle(page) - t

        t = time.perf_counter()
        await page.get_by_test_id("stFileUploaderDropzoneInput").set_input_files(str(person.csv))
        await check_own_data(page, person)
        person.times["upload"] = await idle(page) - t

        t = time.perf_counter()
        await go_to(page, "Segments")
        await page.locator(SCATTER).first.wait_for(state="visible", timeout=TIMEOUT_MS)
        await expect(page.get_by_text(re.compile(rf"of {person.rows:,} customers"))).to_be_visible()
        person.times["segments"] = await idle(page) - t
        await check_own_data(page, person)

        slider = page.get_by_role("slider", name=K_LABEL)
        for k in (6, 7):
            t = time.perf_counter()
            await slider.focus()
            await page.keyboard.press("ArrowRight")
            await expect(page.get_by_test_id("stSidebar")).to_contain_text(f"k = {k}", timeout=TIMEOUT_MS)
            await expect(page.get_by_text(re.compile(rf"of {person.rows:,} customers"))).to_be_visible()
            person.times[f"k{k}"] = await idle(page) - t
            await check_own_data(page, person)

        if choose_k:
            await go_to(page, "Choose k")
            await idle(page)
            t = time.perf_counter()
            await page.get_by_role("button", name="Compute").click()
            await expect(page.get_by_text("Suggested k =")).to_be_visible(timeout=TIMEOUT_MS)
            person.times["choose_k"] = await idle(page) - t
        person.page, person.context = page, context  # kept open for the return visit
    except Exception as exc:  # reported, and the run goes on for the others
        person.error = f"{type(exc).__name__}: {exc}"[:500]
        log(f"person {person.index}: {person.error}")
        await context.close()


async def come_back(person: Person) -> None:
    """The first person, last: Data, then Segments again; its own segments must be shown."""
    from playwright.async_api import expect

    page = person.page
    t = time.perf_counter()
    await go_to(page, "Data")
    await expect(page.get_by_role("heading", name="Data", exact=True)).to_be_visible()
    person.times["back_data"] = await idle(page) - t
    await check_own_data(page, person)
    t = time.perf_counter()
    await go_to(page, "Segments")
    await page.locator(SCATTER).first.wait_for(state="visible", timeout=TIMEOUT_MS)
    await expect(page.get_by_text(re.compile(rf"of {person.rows:,} customers"))).to_be_visible()
    await expect(page.get_by_test_id("stSidebar")).to_contain_text("k = 7")
    person.times["back_segments"] = await idle(page) - t
    await check_own_data(page, person)


@dataclass
class ScriptRuns:
    """How long the server took to answer each script run the probe asked for.

    Read off the app's websocket: from the frame asking for a run (a
    ``rerun_script`` BackMsg) to the frame saying it finished (a
    ``script_finished`` ForwardMsg). That is the server's part of a page load,
    without the browser starting and drawing. The frames are decoded with
    Streamlit's own protocol messages; anything that does not decode is ignored.
    """

    finished: list[tuple[float, float]] = field(default_factory=list)  # (when, seconds)

    def watch(self, page) -> None:
        page.on("websocket", self._socket)

    def _socket(self, socket) -> None:
        asked: list[float] = []

        def sent(payload: str | bytes) -> None:
            if _message_type(BackMsg, payload) == "rerun_script":
                asked[:] = [time.perf_counter()]

        def received(payload: str | bytes) -> None:
            if asked and _message_type(ForwardMsg, payload) == "script_finished":
                now = time.perf_counter()
                self.finished.append((now, now - asked.pop()))

        socket.on("framesent", sent)
        socket.on("framereceived", received)

    def longest(self, start: float, end: float) -> float | None:
        """The longest answer that arrived between ``start`` and ``end`` (None if none did)."""
        within = [seconds for when, seconds in self.finished if start <= when <= end]
        return max(within) if within else None


def _message_type(message: type, payload: str | bytes) -> str | None:
    if not isinstance(payload, bytes):
        return None
    try:
        return message.FromString(payload).WhichOneof("type")
    except DecodeError:
        return None


async def probe(browser, url: str, busy: asyncio.Event, samples: list[dict]) -> None:
    """A person on synthetic data, switching pages and opening new tabs while the others work."""
    context = await browser.new_context(viewport={"width": 1400, "height": 1000})
    page = await context.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    runs = ScriptRuns()
    runs.watch(page)
    await page.goto(url)
    await idle(page)
    step = 0
    while not busy.is_set():
        step += 1
        t = time.perf_counter()
        if step % 3 == 0:  # a new tab is a new session: the whole app loads
            tab = await context.new_page()
            runs.watch(tab)
            await tab.goto(url)
            await tab.get_by_role("heading", name="Data", exact=True).wait_for(timeout=TIMEOUT_MS)
            seconds = await idle(tab) - t
            await tab.close()
            kind = "new tab"
        else:
            target = "Segments" if step % 3 == 1 else "Data"
            await go_to(page, target)
            await page.get_by_role("heading", name=target, exact=True).wait_for(timeout=TIMEOUT_MS)
            seconds = await idle(page) - t
            kind = f"switch to {target}"
        end = time.perf_counter()
        samples.append({"kind": kind, "seconds": seconds, "at": end, "server_s": runs.longest(t, end)})
        await asyncio.sleep(1.0)
    await context.close()


def chromium_under(folder: Path, name: str, policy: str) -> Path:
    """A launcher for Chromium in which it, and every process it starts, runs under a scheduling ``policy``.

    A scheduling policy rather than a nice value, because Chromium sets its own
    processes' nice values (new tabs' renderers at 5, for one; as root even below
    zero); the policy is inherited and Chromium leaves it alone. ``policy`` is
    ``chrt``'s option and priority, e.g. ``--idle 0``.
    """
    folder.mkdir(parents=True, exist_ok=True)
    launcher = folder / f"chromium-{name}"
    launcher.write_text(f'#!/bin/sh\nexec chrt {policy} {CHROMIUM} "$@"\n')
    launcher.chmod(0o755)
    return launcher


async def scenario(url: str, people: list[Person], samples: list[dict]) -> dict:
    from playwright.async_api import async_playwright

    async with async_playwright() as p:
        # The crowd's browsers run only when nothing else wants the CPU, as if on their own
        # machines. The probe's takes the CPU whenever it has work (real-time round robin):
        # a person's own computer, whose drawing does not queue behind the server's fits.
        browser = await p.chromium.launch(
            executable_path=str(chromium_under(OUT, "idle", "--idle 0")), headless=True, args=CHROMIUM_ARGS
        )
        own_browser = await p.chromium.launch(
            executable_path=str(chromium_under(OUT, "own", "--rr 1")), headless=True, args=CHROMIUM_ARGS
        )
        done = asyncio.Event()
        probing = asyncio.create_task(probe(own_browser, url, done, samples))
        await asyncio.sleep(QUIET_S)  # the probe's page loads on a quiet server, for comparison
        start = time.perf_counter()
        await asyncio.gather(
            *(run_person(browser, url, person, choose_k=person.index == 2) for person in people)
        )
        crowd_seconds = time.perf_counter() - start
        done.set()
        await probing
        first = people[0]
        if first.error is None:
            try:
                await come_back(first)
            except Exception as exc:
                first.error = f"coming back: {type(exc).__name__}: {exc}"[:500]
        await browser.close()
        await own_browser.close()
    return {"crowd_seconds": crowd_seconds, "crowd_start": start, "crowd_end": start + crowd_seconds}


# ---------------------------------------------------------------- checks and report


def server_log_checks(path: Path, people: list[Person]) -> dict:
    text = path.read_text(errors="replace")
    ours = [line for line in text.splitlines() if " segmentation.app: " in line]
    ids = []
    for person in people:
        with open(person.csv) as f:
            f.readline()
            ids.append(f.readline().split(",")[0])
    leaks = [
        line
        for line in ours
        if "loadtest_customers" in line or any(i and re.search(rf"\b{re.escape(i)}\b", line) for i in ids)
    ]
    return {
        "upload_lines": sum(" upload: " in line for line in ours),
        "fit_lines": sum(" fit: " in line for line in ours),
        "choose_k_lines": sum(" choose-k: " in line for line in ours),
        "lines_with_file_names_or_ids": len(leaks),
        "examples": [line.split(" segmentation.app: ", 1)[1] for line in ours if " fit: " in line][:2]
        + [line.split(" segmentation.app: ", 1)[1] for line in ours if " upload: " in line][:1],
        "evictions": max((int(m) for m in re.findall(r"\((\d+) evicted so far", text)), default=0),
    }


def summarise(people, samples, watch, server_hwm_kib, crowd, log_checks, files) -> dict:
    upload_mb = sum(f.stat().st_size for f in files) / 2**20
    limit_mb = BUDGET_MB + HEADROOM_MB + UPLOAD_FACTOR * upload_mb
    peak_mb = max(watch.peak_rss_kib, server_hwm_kib) / 1024
    # A load counts as during the crowd if it ended while the crowd worked.
    crowded = [s for s in samples if crowd["crowd_start"] < s["at"] <= crowd["crowd_end"]]
    quiet = [s for s in samples if s["at"] <= crowd["crowd_start"]]
    during = [s["seconds"] for s in crowded]
    kinds = sorted({s["kind"] for s in samples})
    by_kind = {kind: [s["seconds"] for s in crowded if s["kind"] == kind] for kind in kinds}
    server_by_kind = {
        kind: [s["server_s"] for s in crowded if s["kind"] == kind and s.get("server_s") is not None]
        for kind in kinds
    }
    quiet_by_kind = {kind: [s["seconds"] for s in quiet if s["kind"] == kind] for kind in kinds}
    health_s = [h[1] for h in watch.health]
    return {
        "sessions": len(people),
        "rows_per_file": [p.rows for p in people],
        "uploads_mb": upload_mb,
        "budget_mb": BUDGET_MB,
        "limit_mb": limit_mb,
        "peak_rss_mb": peak_mb,
        "peak_within_limit": peak_mb <= limit_mb,
        "crowd_seconds": crowd["crowd_seconds"],
        "people": [asdict(p) | {"csv": p.csv.name} for p in people],
        "every_session_saw_its_own_file": all(p.own_data_seen and all(p.own_data_seen) for p in people),
        "errors": [p.error for p in people if p.error],
        "first_came_back": "back_segments" in people[0].times,
        "probe": {
            "samples": len(during),
            "median_s": statistics.median(during) if during else None,
            "max_s": max(during) if during else None,
            "over_target": sum(s > RESPONSE_TARGET_S for s in during),
            "by_kind": {
                kind: {
                    "samples": len(v),
                    "median_s": statistics.median(v),
                    "max_s": max(v),
                    "over_target": sum(x > RESPONSE_TARGET_S for x in v),
                    "server_answers": len(server_by_kind[kind]),
                    "server_median_s": statistics.median(server_by_kind[kind])
                    if server_by_kind[kind]
                    else None,
                    "server_max_s": max(server_by_kind[kind], default=None),
                }
                for kind, v in by_kind.items()
                if v
            },
            "quiet_by_kind": {
                kind: {"samples": len(v), "median_s": statistics.median(v), "max_s": max(v)}
                for kind, v in quiet_by_kind.items()
                if v
            },
            "all": samples,
        },
        "cpu": watch.cpu_used(),
        "health": {
            "polls": len(watch.health),
            "failed": sum(not ok for _, _, ok in watch.health),
            "median_s": statistics.median(health_s) if health_s else None,
            "max_s": max(health_s) if health_s else None,
        },
        "server_log": log_checks,
    }


def checks(r: dict) -> list[tuple[str, str, bool]]:
    """(check, result, met) for each target of the issue."""
    probe, health, logs = r["probe"], r["health"], r["server_log"]
    uploads = f"{r['budget_mb']} + {HEADROOM_MB} + {UPLOAD_FACTOR} × {r['uploads_mb']:.0f} MB"
    return [
        (
            f"Server peak RSS ≤ {uploads} = {r['limit_mb']:.0f} MB",
            f"{r['peak_rss_mb']:.0f} MB",
            r["peak_within_limit"],
        ),
        (
            "Every session kept seeing its own file (name and row count, at every step)",
            "yes" if r["every_session_saw_its_own_file"] else "no",
            r["every_session_saw_its_own_file"],
        ),
        (
            "The first person, coming back last, gets its own segments",
            "yes" if r["first_came_back"] else "no",
            r["first_came_back"],
        ),
        (
            f"Another session's page loads while files are read and fitted: wait ≤ {RESPONSE_TARGET_S:.0f} s",
            f"max {probe['max_s'] or 0:.2f} s, median {probe['median_s'] or 0:.2f} s "
            f"({probe['samples']} page loads, {probe['over_target']} over)",
            bool(probe["samples"]) and probe["over_target"] == 0,
        ),
        (
            "`/_stcore/health` answers",
            f"{health['polls'] - health['failed']} of {health['polls']} polls, max {health['max_s'] or 0:.2f} s",
            health["polls"] > 0 and health["failed"] == 0,
        ),
        (
            "Server log: a line per upload and per fit, no file names or customer IDs",
            f"{logs['upload_lines']} upload, {logs['fit_lines']} fit, {logs['choose_k_lines']} choose-k lines; "
            f"{logs['lines_with_file_names_or_ids']} with names or IDs",
            logs["upload_lines"] == r["sessions"]
            and logs["fit_lines"] >= r["sessions"]
            and logs["lines_with_file_names_or_ids"] == 0,
        ),
    ]


STEPS = ["open", "upload", "segments", "k6", "k7", "choose_k", "back_data", "back_segments"]


def markdown(r: dict) -> str:
    """The docs/benchmarks.md section for one run."""
    when = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    lines = [
        f"## Load test: {r['sessions']} people, each with their own file of {r['rows_per_file'][0]:,}+ customers",
        "",
        f"Generated by `make loadtest` (`python -m bench.loadtest`) on {when}; raw numbers in "
        f"`bench/out/loadtest.json`. One `streamlit run` with `SEGMENTATION_MEMORY_MB={r['budget_mb']}`; "
        f"{r['sessions']} browser contexts working at once in one headless Chromium that runs only when "
        "nothing else wants the CPU (SCHED_IDLE: on a real deployment they are people's own machines), and "
        "the probe in a Chromium of its own that takes the CPU whenever it has work (SCHED_RR: a person's "
        "own computer); "
        f"{r['uploads_mb']:.0f} MB uploaded in all; the crowd took {r['crowd_seconds']:.0f} s. Load average "
        f"{r['loadavg'][0]:.1f} at start, {r['loadavg'][1]:.1f} at end (2 cores, shared with other work).",
        "",
        "| Check | Result | |",
        "|---|---|---|",
        *(f"| {name} | {result} | {'**met**' if ok else '**not met**'} |" for name, result, ok in checks(r)),
        "",
        "Seconds per person, from the action until the page was idle again (k6, k7: the k slider moved "
        "with the keyboard; back_*: the first person's return visit, after everyone else):",
        "",
        "| Person | Rows | " + " | ".join(STEPS) + " |",
        "|---|---|" + "---|" * len(STEPS),
    ]
    for p in r["people"]:
        cells = [f"{p['times'][s]:.1f}" if s in p["times"] else "" for s in STEPS]
        lines.append(f"| {p['index'] + 1} | {p['rows']:,} | " + " | ".join(cells) + " |")
    lines += ["", "The probe's page loads by kind (during the crowd):", ""]
    lines += [
        "| Page load | Loads | Median | Max | Over 2 s | The server's answer: median, max "
        "| Quiet server, before the crowd: median, max |",
        "|---|---|---|---|---|---|---|",
    ]
    quiet = r["probe"].get("quiet_by_kind", {})
    for kind, k in r["probe"].get("by_kind", {}).items():
        q = quiet.get(kind)
        before = f"{q['median_s']:.2f} s, {q['max_s']:.2f} s ({q['samples']} loads)" if q else ""
        answer = (
            f"{k['server_median_s']:.2f} s, {k['server_max_s']:.2f} s"
            if k.get("server_max_s") is not None
            else ""
        )
        lines.append(
            f"| {kind} | {k['samples']} | {k['median_s']:.2f} s | {k['max_s']:.2f} s | {k['over_target']} "
            f"| {answer} | {before} |"
        )
    lines += [
        "",
        "The server's answer is read off the app's websocket: from the browser asking for a script run to "
        "the server saying the run finished, without the browser starting and drawing the page.",
    ]
    if "cpu" in r:
        cpu = r["cpu"]
        lines += [
            "",
            f"CPU used during the run ({cpu['wall_s']:.0f} s, 2 cores = {2 * cpu['wall_s']:.0f} CPU seconds): "
            f"the server {cpu['server_s']:.0f} s, Chromium (renderers, GPU and browser processes) "
            f"{cpu['chromium_s']:.0f} s, of which the crowd's {cpu.get('crowd_chromium_s', 0):.0f} s.",
        ]
    lines += [
        "",
        f"Evictions during the run: {r['server_log']['evictions']}. Errors: {r['errors'] or 'none'}.",
        "",
        "How memory is bounded: the budget covers everything the server can rebuild (parsed files, "
        "segmentations, projections, figures, k scores), counted in bytes held, shared buffers once. "
        "Uploaded bytes are outside it: they are what a person did and cannot be rebuilt, so they stay in "
        "the session (Streamlit's upload store, which the session's data shares without a copy) and in "
        "transit while they are received: the 2.5 × allowance. Builds of "
        "large files are admitted one at a time (`BudgetedCache.work_bytes`), with room made in the budget "
        "for their peak before they start (`peak_factor`); evicted values that a page still uses keep "
        "counting until it lets go; small work (another session's pages) never waits for them, and large "
        "work runs at a lower CPU priority than pages. Times include "
        "Chromium drawing each page in software on the same 2 cores (the probe's under SCHED_RR, the "
        "crowd's under SCHED_IDLE), and this machine was shared with other work (see the load averages).",
        "",
        "Example server-log lines:",
        "",
        "```",
        *r["server_log"]["examples"],
        "```",
    ]
    return "\n".join(lines)


def write_section(text: str) -> None:
    """Replace the load-test section of docs/benchmarks.md, or append it."""
    doc = DOC.read_text() if DOC.exists() else "# Benchmarks\n"
    block = f"{SECTION_START}\n{text}\n{SECTION_END}"
    start, end = doc.find(SECTION_START), doc.find(SECTION_END)
    if start >= 0 and end > start:
        doc = doc[:start] + block + doc[end + len(SECTION_END) :]
    else:
        doc = doc.rstrip("\n") + "\n\n" + block + "\n"
    DOC.write_text(doc)


def main(argv: list[str] | None = None) -> int:
    global BUDGET_MB
    parser = argparse.ArgumentParser(prog="python -m bench.loadtest", description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=8)
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--budget-mb", type=int, default=BUDGET_MB)
    parser.add_argument("--no-report", action="store_true", help="do not touch docs/benchmarks.md")
    parser.add_argument(
        "--rewrite", action="store_true", help="only rewrite the docs section from bench/out/loadtest.json"
    )
    args = parser.parse_args(argv)
    BUDGET_MB = args.budget_mb
    if args.rewrite:
        write_section(markdown(json.loads((OUT / "loadtest.json").read_text())))
        return 0
    OUT.mkdir(parents=True, exist_ok=True)
    files = make_files(OUT / "loadtest", args.sessions, args.rows)
    people = [Person(i, path, args.rows + i) for i, path in enumerate(files)]
    samples: list[dict] = []
    log_path = OUT / "loadtest_server.log"
    load_start = os.getloadavg()[0]
    budget = {"SEGMENTATION_MEMORY_MB": str(BUDGET_MB)}
    with Server(ROOT, log_path, env=budget) as server, Watchers(server.proc.pid, server.url) as watch:
        log(f"server {server.url} (pid {server.proc.pid}); {len(people)} people")
        crowd = asyncio.run(
            scenario(server.url.rstrip("/") + "/data", people, samples)
        )  # Start is the default
        hwm = status_kib(server.proc.pid).get("VmHWM", 0)
    result = summarise(people, samples, watch, hwm, crowd, server_log_checks(log_path, people), files)
    result["loadavg"] = [load_start, os.getloadavg()[0]]
    (OUT / "loadtest.json").write_text(json.dumps(result, indent=2, default=str))
    text = markdown(result)
    print(text)
    if not args.no_report:
        write_section(text)
    return 0 if not result["errors"] else 1


if __name__ == "__main__":
    raise SystemExit(main())
