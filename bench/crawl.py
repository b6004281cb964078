"""Crawl benchmark: mtwatch's full backfill vs a naive script (and a Scrapy floor), idle polls.

    .venv/bin/python bench/crawl.py [--articles 1000] [--page-kb 65] [--repeats 3] [--idle 3]
                                    [--floor] [--set MTWATCH_EXTRACTION_WORKERS=0 ...]
                                    [--also NAME=VALUE ...]
    .venv/bin/python bench/crawl.py --idle-only [--articles 60] [--idle 9]

Starts the offline replica with article pages of about ``--page-kb`` KB (the issue's workload:
65; the real site's pages are 60-150 KB, the replica's own ~37 KB; the furniture added is not
article text, see ``tests/replica/furniture.py``), politeness lifted (no delay, no
AutoThrottle, 8 requests per host); then runs, alternately, ``--repeats`` times each: (a)
mtwatch's crawl child doing a full backfill (``python -m crawler.crawl -s
MTWATCH_SINCE=2023-01-01``, the exact child of ``mtwatch run``) into a fresh store, (b) the
naive reference ``bench/naive_crawl.py`` (urllib, sitemaps, ``trafilatura.bare_extraction``, a
regex, SQLite) into a fresh file, and with ``--floor`` (c) a bare Scrapy SitemapSpider that
only calls trafilatura on each page and (d) the same spider fetching the pages and doing
nothing else: Scrapy alone, the ceiling of any Scrapy crawl with Scrapy's defaults, (e) and
with mtwatch's CPU-per-response settings (``KNOBS``). It prints medians: wall, pages/s, CPU ms
per page (the process and the children it waited for: extraction workers), peak RSS of the
process alone (``ru_maxrss``: the largest single process) and of the whole process tree
(sampled every 50 ms, summed), the CPU ms per page of the measured process alone (mtwatch: the
crawl process without its extraction workers, the critical path; up to its last 50 ms sample),
the seconds the tree spent runnable but waiting for a CPU (``/proc/PID/task/*/schedstat``: the
two cores were busy with other work, the replica's, the pool's or other processes'; wall is
roughly CPU on the critical path + that wait + start-up and idle time), the replica's CPU ms
per page meanwhile (the loopback server shares the cores; a real site's servers cost the client
nothing: for the one-request-at-a-time naive script the replica's time lies on its critical
path, for Scrapy's concurrent requests mostly on the other core), the speed-up naive wall /
mtwatch wall (median of the per-round ratios; target >= 2.5), and for idle ``mtwatch run``
polls after the backfill (everything answers 304 or is known): requests, bytes, wall and CPU
seconds of ``mtwatch run`` with its crawl child (target <= 1 s CPU).

``--idle-only``: one mtwatch backfill (unmeasured: it only fills the store), then the idle
polls alone, and only their line (each poll's CPU too, and their minimum).

The checkout is byte-compiled first, as an installed package is: with PYTHONDONTWRITEBYTECODE
set (as in some shells and CI), every process would otherwise compile mtwatch's modules from
source at each start. Besides the RSS sum, the tree's peak PSS is shown (proportional set size:
a page shared by several processes, a library or a forked child's, is counted once, split).
"""

from __future__ import annotations

import argparse
import compileall
import contextlib
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import trafilatura
from scrapy.spiders import SitemapSpider

REPO = Path(__file__).resolve().parent.parent
NAIVE = Path(__file__).resolve().parent / "naive_crawl.py"
LIFTED = {"DOWNLOAD_DELAY": "0", "AUTOTHROTTLE_ENABLED": "False",
          "CONCURRENT_REQUESTS_PER_DOMAIN": "8", "CONCURRENT_REQUESTS": "8"}
#: the CPU-per-response knobs of crawler/settings.py (CONCURRENT_ITEMS: Scrapy's default starts
#: 100 asyncio tasks per response; WARN_ON_GENERATOR_RETURN_VALUE: a lint reading the callback's
#: source per response): the Scrapy floor with them is the floor mtwatch's own settings allow
KNOBS = {"CONCURRENT_ITEMS": "1", "WARN_ON_GENERATOR_RETURN_VALUE": "False"}
FAST_TOML = """
[crawl]
download_delay = 0
autothrottle = false
concurrent_requests_per_domain = 8
run_timeout = 3600
"""
ARTICLE_PATH = re.compile(r"-a\d+$")
_PAGE = os.sysconf("SC_PAGE_SIZE")
_TICKS = os.sysconf("SC_CLK_TCK")


class FloorSpider(SitemapSpider):
    """The floor: every article of the sitemaps, fetched and handed to trafilatura. Nothing else."""

    name = "floor"
    custom_settings = {"ROBOTSTXT_OBEY": False, "TELNETCONSOLE_ENABLED": False,  # noqa: RUF012
                       "LOG_LEVEL": "INFO"}

    def __init__(self, base: str = "", extract: str = "1", **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.sitemap_urls = [f"{base}/sitemap/sitemap.xml"]
        self.extract = extract != "0"

    def parse(self, response: Any) -> Any:
        text = (trafilatura.extract(response.text) or "") if self.extract else response.text
        yield {"url": response.url, "chars": len(text)}


@dataclass
class Measure:
    pages: int
    wall: float
    cpu: float
    rss_mb: float
    tree_rss_mb: float
    tree_pss_mb: float
    #: (seconds the process tree waited, runnable, for a CPU; CPU s of its root process alone:
    #: the crawl process without its extraction workers, sampled every 50 ms)
    sched: tuple[float, float] = (0.0, 0.0)
    #: CPU seconds the replica (the server process) spent during the run
    server_cpu: float = 0.0

    @property
    def pages_per_s(self) -> float:
        return self.pages / self.wall if self.wall else 0.0

    @property
    def cpu_ms_per_page(self) -> float:
        return 1000 * self.cpu / self.pages if self.pages else 0.0

    @property
    def waited(self) -> float:
        return self.sched[0]

    @property
    def main_ms_per_page(self) -> float:
        return 1000 * self.sched[1] / self.pages if self.pages else 0.0

    @property
    def server_ms_per_page(self) -> float:
        return 1000 * self.server_cpu / self.pages if self.pages else 0.0


class TreeRss:
    """The largest sums of RSS and of PSS over a process and all its descendants, sampled
    every 50 ms; and how long each of them waited, runnable, for a CPU (the scheduler's
    run-queue time: the cores were busy with other processes, the replica's among them)."""

    def __init__(self, pid: int) -> None:
        self.pid = pid
        self.peak = 0
        self.peak_pss = 0
        self.waits: dict[int, int] = {}
        #: CPU seconds of the root process alone (its own threads, not its children)
        self.root_cpu = 0.0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.wait(0.05):
            tree = _tree(self.pid)
            self.peak = max(self.peak, sum(_rss(pid) for pid in tree))
            self.peak_pss = max(self.peak_pss, sum(_pss(pid) for pid in tree))
            for pid in tree:
                self.waits[pid] = max(self.waits.get(pid, 0), run_queue_ns(pid))
            with contextlib.suppress(OSError, ValueError, IndexError):
                self.root_cpu = max(self.root_cpu, process_cpu(self.pid))

    def stop(self) -> tuple[float, float]:
        """(peak RSS sum, peak PSS sum) in MB."""
        self._stop.set()
        self._thread.join()
        return self.peak / (1024 * 1024), self.peak_pss / (1024 * 1024)

    @property
    def waited(self) -> float:
        """Seconds the tree's processes spent waiting for a CPU (up to the last sample)."""
        return sum(self.waits.values()) / 1e9


def _tree(root: int) -> list[int]:
    found, todo = [], [root]
    while todo:
        pid = todo.pop()
        found.append(pid)
        try:
            children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
        except OSError:
            continue
        todo.extend(int(child) for child in children)
    return found


def run_queue_ns(pid: int) -> int:
    """Nanoseconds the threads of a process have spent runnable but not running."""
    total = 0
    try:
        threads = list(Path(f"/proc/{pid}/task").iterdir())
    except OSError:
        return 0
    for thread in threads:
        try:
            total += int((thread / "schedstat").read_text().split()[1])
        except (OSError, ValueError, IndexError):
            continue
    return total


def process_cpu(pid: int) -> float:
    """CPU seconds (user + system, every thread, live or ended) of a running process."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / _TICKS


def served(replica: int, run: Any, *args: Any, **kwargs: Any) -> Measure:
    """``run(*args, **kwargs)``, with the replica's CPU seconds meanwhile: the loopback server
    shares this machine's cores with the client, which a real site's servers do not."""
    before = process_cpu(replica)
    result: Measure = run(*args, **kwargs)
    result.server_cpu = process_cpu(replica) - before
    return result


def _rss(pid: int) -> int:
    try:
        return int(Path(f"/proc/{pid}/statm").read_text().split()[1]) * _PAGE
    except (OSError, ValueError, IndexError):
        return 0


def _pss(pid: int) -> int:
    try:
        rollup = Path(f"/proc/{pid}/smaps_rollup").read_text()
    except OSError:
        return 0
    for line in rollup.splitlines():
        if line.startswith("Pss:"):
            return int(line.split()[1]) * 1024
    return 0


def measured(command: list[str], env: dict[str, str], cwd: Path, *, stdout: Any = None
             ) -> tuple[float, float, float, float, float, tuple[float, float]]:
    """Run a child to completion: (wall s, CPU s incl. the children it waited for, peak RSS MB
    of one process, peak RSS MB and peak PSS MB of its whole tree, (seconds its tree waited
    for a CPU, CPU s of the child alone up to the last sample))."""
    started = time.perf_counter()
    proc = subprocess.Popen(command, env=env, cwd=cwd, stdout=stdout or subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    sampler = TreeRss(proc.pid)
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    wall = time.perf_counter() - started
    tree, tree_pss = sampler.stop()
    if proc.returncode != 0:
        raise SystemExit(f"bench: {command[:4]} exited with {proc.returncode}")
    return (wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, tree, tree_pss,
            (sampler.waited, sampler.root_cpu))


def mtwatch_env(work: Path) -> dict[str, str]:
    (work / "fast.toml").write_text(FAST_TOML, encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if not k.startswith("MTWATCH_")}
    env.update({"MTWATCH_DATA_DIR": str(work / "data"), "MTWATCH_CONFIG": str(work / "fast.toml"),
                "MTWATCH_DB_URL": f"sqlite:///{work / 'mtwatch.db'}",
                "SCRAPY_SETTINGS_MODULE": "crawler.settings"})
    return env


def mtwatch_backfill(base: str, work: Path, extra: dict[str, str]) -> Measure:
    for stale in work.glob("mtwatch.db*"):
        stale.unlink()
    log = work / "mtwatch.log"
    log.unlink(missing_ok=True)
    settings = {"MTWATCH_SITE": base, "MTWATCH_SINCE": "2023-01-01", "LOG_LEVEL": "INFO",
                "LOG_FILE": str(log), **LIFTED, **extra}
    command = [sys.executable, "-m", "crawler.crawl"]
    for name, value in settings.items():
        command += ["-s", f"{name}={value}"]
    wall, cpu, rss, tree, pss, sched = measured(command, mtwatch_env(work), REPO)
    pages = _stat(log.read_text(encoding="utf-8"), "'mtwatch/fetched'")
    return Measure(pages, wall, cpu, rss, tree, pss, sched)


def naive(base: str, work: Path) -> Measure:
    db = work / "naive.db"
    db.unlink(missing_ok=True)
    out = work / "naive.out"
    with out.open("w", encoding="utf-8") as sink:
        wall, cpu, rss, tree, pss, sched = measured(
            [sys.executable, str(NAIVE), base, str(db)], dict(os.environ), work, stdout=sink)
    return Measure(int(out.read_text(encoding="utf-8").strip() or 0), wall, cpu, rss, tree, pss,
                   sched)


def floor(base: str, work: Path, *, extract: bool = True, knobs: bool = False) -> Measure:
    """The bare SitemapSpider: with trafilatura on each page, or (``extract=False``) Scrapy
    alone, fetching the pages and doing nothing with them: no crawler built on Scrapy can
    take less wall time than that with the same settings. ``knobs``: with mtwatch's
    CPU-per-response settings (``KNOBS``) instead of Scrapy's defaults."""
    log = work / "floor.log"
    log.unlink(missing_ok=True)
    command = [sys.executable, "-m", "scrapy", "runspider", str(Path(__file__).resolve()),
               "-a", f"base={base}", "-a", f"extract={int(extract)}", "-s", f"LOG_FILE={log}"]
    for name, value in {**LIFTED, **(KNOBS if knobs else {})}.items():
        command += ["-s", f"{name}={value}"]
    env = {k: v for k, v in os.environ.items() if k != "SCRAPY_SETTINGS_MODULE"}
    wall, cpu, rss, tree, pss, sched = measured(command, env, work)  # outside the repo
    pages = _stat(log.read_text(encoding="utf-8"), "'item_scraped_count'")
    return Measure(pages, wall, cpu, rss, tree, pss, sched)


def _stat(log: str, key: str) -> int:
    for line in log.splitlines():
        if line.strip().startswith(key):
            return int(line.split(":")[1].strip().rstrip(","))
    return 0


@dataclass
class Idle:
    requests: int
    size: int
    wall: float
    cpu: float


def idle_runs(base: str, work: Path, access_log: Path, times: int) -> list[Idle]:
    """``mtwatch run`` when nothing changed: requests, bytes incl. headers, wall and CPU s
    (``mtwatch run`` and its crawl child). Every feed and sitemap is polled (adaptive polling
    off): right after the backfill none would be due, and the poll would measure start-up only."""
    mtwatch = Path(sys.executable).parent / "mtwatch"
    env = {**mtwatch_env(work), "MTWATCH_ADAPTIVE_POLLING": "false"}
    out = []
    for _ in range(times):
        before = len(access_log.read_text(encoding="utf-8").splitlines())
        wall, cpu, *_ = measured([str(mtwatch), "run", "--site", base], env, work)
        lines = access_log.read_text(encoding="utf-8").splitlines()[before:]
        records = [json.loads(line) for line in lines]
        size = sum(r["bytes"] + r.get("header_bytes", 0) for r in records)
        out.append(Idle(len(records), size, wall, cpu))
    return out


def start_replica(articles: int, work: Path, page_kb: int) -> tuple[subprocess.Popen[str], str,
                                                                     Path]:
    log = work / "access.jsonl"
    heavy = ["--page-kb", str(page_kb)] if page_kb else []
    proc = subprocess.Popen(
        [sys.executable, "-m", "tests.replica", "serve", "--port", "0", "--articles",
         str(articles), "--seed", "1", "--access-log", str(log), *heavy],
        cwd=REPO, stdout=subprocess.PIPE, text=True)
    assert proc.stdout is not None
    return proc, proc.stdout.readline().strip(), log


def article_page_kb(access_log: Path) -> tuple[float, float]:
    """The mean body size of the article pages the replica answered with 200, in KB: as sent
    to clients that did not ask for gzip (the naive script), and to those that did (Scrapy)."""
    plain: list[int] = []
    gzipped: list[int] = []
    for record in map(json.loads, access_log.read_text("utf-8").splitlines()):
        if record["status"] == 200 and ARTICLE_PATH.search(record["path"]):
            accepts = {k.lower(): v for k, v in record["headers"].items()}
            wants_gzip = "gzip" in accepts.get("accept-encoding", "")
            (gzipped if wants_gzip else plain).append(record["bytes"])
    return (sum(plain) / len(plain) / 1024 if plain else 0.0,
            sum(gzipped) / len(gzipped) / 1024 if gzipped else 0.0)


def median(values: list[float]) -> float:
    return statistics.median(values) if values else 0.0


COLUMNS = f"{'':<30} {'pages':>6} {'wall s':>7} {'pages/s':>8} {'CPU ms/page':>12} " \
          f"{'main ms/page':>13} " \
          f"{'RSS MB':>7} {'tree RSS MB':>12} {'tree PSS MB':>12} {'CPU wait s':>11} " \
          f"{'replica ms/page':>16}"


def report(name: str, runs: list[Measure]) -> dict[str, float]:
    row = {"pages": median([m.pages for m in runs]), "wall": median([m.wall for m in runs]),
           "pages/s": median([m.pages_per_s for m in runs]),
           "CPU ms/page": median([m.cpu_ms_per_page for m in runs]),
           "main ms/page": median([m.main_ms_per_page for m in runs]),
           "peak RSS MB": max(m.rss_mb for m in runs),
           "tree RSS MB": max(m.tree_rss_mb for m in runs),
           "tree PSS MB": max(m.tree_pss_mb for m in runs),
           "CPU wait s": median([m.waited for m in runs]),
           "replica ms/page": median([m.server_ms_per_page for m in runs])}
    print(f"{name:<30} {row['pages']:>6.0f} {row['wall']:>7.1f} {row['pages/s']:>8.1f} "
          f"{row['CPU ms/page']:>12.1f} {row['main ms/page']:>13.1f} {row['peak RSS MB']:>7.0f} "
          f"{row['tree RSS MB']:>12.0f} "
          f"{row['tree PSS MB']:>12.0f} {row['CPU wait s']:>11.1f} "
          f"{row['replica ms/page']:>16.2f}")
    return row


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--page-kb", type=int, default=65, metavar="KB",
                        help="article pages of about KB kilobytes, the issue's workload (real "
                             "pages: 60-150 KB; default 65); 0: the replica's own ~37 KB pages")
    parser.add_argument("--idle", type=int, default=3)
    parser.add_argument("--floor", action="store_true", help="also run the Scrapy floor")
    parser.add_argument("--idle-only", action="store_true",
                        help="only the idle polls (after one unmeasured backfill)")
    parser.add_argument("--set", action="append", default=[], metavar="NAME=VALUE",
                        help="a Scrapy setting for mtwatch's crawl, e.g. "
                             "MTWATCH_EXTRACTION_WORKERS=0 (repeatable)")
    parser.add_argument("--also", action="append", default=[], metavar="NAME=VALUE",
                        help="also run, in the same rounds, mtwatch's crawl with this "
                             "setting (repeatable: one more variant each)")
    args = parser.parse_args()
    extra = dict(item.split("=", 1) for item in args.set)
    variants = {item: {**extra, **dict([item.split("=", 1)])} for item in args.also}
    for package in ("crawler", "pipelines", "tests/replica"):
        compileall.compile_dir(REPO / package, quiet=1)
    with tempfile.TemporaryDirectory(prefix="mtwatch-bench-") as tmp:
        work = Path(tmp)
        proc, base, access_log = start_replica(args.articles, work, args.page_kb)
        try:
            if args.idle_only:
                mtwatch_backfill(base, work, extra)
                return report_idle(idle_runs(base, work, access_log, args.idle), every=True)
            naive(base, work)  # warm-up: the replica renders and caches every page once
            ours: list[Measure] = []
            bare: list[Measure] = []
            floors: list[Measure] = []
            fetches: list[Measure] = []
            knobbed: list[Measure] = []
            others: dict[str, list[Measure]] = {name: [] for name in variants}
            for _ in range(args.repeats):  # interleaved, so load changes hit both alike
                ours.append(served(proc.pid, mtwatch_backfill, base, work, extra))
                for name, settings in variants.items():
                    others[name].append(served(proc.pid, mtwatch_backfill, base, work, settings))
                bare.append(served(proc.pid, naive, base, work))
                if args.floor:
                    floors.append(served(proc.pid, floor, base, work))
                    fetches.append(served(proc.pid, floor, base, work, extract=False))
                    knobbed.append(served(proc.pid, floor, base, work, extract=False,
                                          knobs=True))
            idle = idle_runs(base, work, access_log, args.idle)
            page_kb = article_page_kb(access_log)
        finally:
            proc.terminate()
            proc.wait(timeout=10)
    print(f"replica: {args.articles} articles, pages of {page_kb[0]:.1f} KB mean "
          f"({page_kb[1]:.1f} KB gzipped, as Scrapy asks); politeness lifted; "
          f"medians of {args.repeats} alternating rounds; load average "
          f"{os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs"
          + (f"; mtwatch with {' '.join(args.set)}" if args.set else ""))
    print(COLUMNS)
    mine = report("mtwatch backfill (crawl child)", ours)
    report("naive script", bare)
    for name, runs in others.items():
        report(f"mtwatch, {name}"[:30], runs)
    if floors:
        report("floor (Scrapy+trafilatura)", floors)
        report("Scrapy alone (fetch only)", fetches)
        report("Scrapy alone, mtwatch's knobs", knobbed)
        ceiling = median([b.wall / f.wall for f, b in zip(fetches, bare, strict=True)])
        tuned = median([b.wall / f.wall for f, b in zip(knobbed, bare, strict=True)])
        print(f"ceiling: naive wall / Scrapy-alone wall {ceiling:.2f}x, {tuned:.2f}x with "
              f"{' '.join(f'{k}={v}' for k, v in KNOBS.items())} (no Scrapy crawl with those "
              "settings beats it)")
    # a crawl that fetched fewer pages than the naive script did less work: no speed-up for it
    expected = max(b.pages for b in bare)
    short = {name: min(m.pages for m in runs)
             for name, runs in {"mtwatch": ours, **others}.items()
             if min(m.pages for m in runs) < expected}
    for name, pages in short.items():
        print(f"{name}: fetched {pages} of the {expected} pages the naive script fetched in "
              "a round; no speed-up is computed for it")
    if "mtwatch" not in short:
        speedup = median([b.wall / m.wall for m, b in zip(ours, bare, strict=True)])
        print(f"speed-up naive wall / mtwatch wall: {speedup:.2f}x (target >= 2.5); "
              f"peak RSS {mine['tree RSS MB']:.0f} MB for the crawl's process tree, "
              f"{mine['peak RSS MB']:.0f} MB its largest process (target <= 200); "
              f"tree PSS {mine['tree PSS MB']:.0f} MB")
    for name, runs in others.items():
        if name not in short:
            other = median([b.wall / m.wall for m, b in zip(runs, bare, strict=True)])
            print(f"speed-up of mtwatch with {name}: {other:.2f}x")
    return max(report_idle(idle), 1 if short else 0)


def report_idle(idle: list[Idle], *, every: bool = False) -> int:
    print(f"idle poll (mtwatch run, nothing new), median of {len(idle)}: "
          f"{median([r.requests for r in idle]):.0f} requests, "
          f"{median([r.size for r in idle]):.0f} bytes, {median([r.wall for r in idle]):.2f} s "
          f"wall, {median([r.cpu for r in idle]):.2f} s CPU (target <= 1)")
    if every:
        print(f"idle poll CPU s: min {min(r.cpu for r in idle):.2f}; each: "
              + " ".join(f"{r.cpu:.2f}" for r in idle)
              + f"; load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
    return 0


if __name__ == "__main__":
    sys.exit(main())
