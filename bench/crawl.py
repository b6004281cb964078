"""Crawl benchmark: mtwatch's full backfill vs a bare Scrapy + trafilatura floor, and idle runs.

    .venv/bin/python bench/crawl.py [--articles 2000] [--repeats 3] [--idle 5]

Starts the offline replica (politeness lifted: no delay, no AutoThrottle, 8 requests per host),
then prints medians: pages/s, CPU ms per page and peak RSS of (a) mtwatch's crawl child doing a
full backfill (``scrapy crawl moscowtimes -s MTWATCH_SINCE=2023-01-01``, the exact child of
``mtwatch run``) into a fresh store, (b) the floor: a bare Scrapy SitemapSpider that only calls
trafilatura on each article page; the ratio mtwatch/floor (target >= 0.8, peak RSS < 300 MB);
and for an idle ``mtwatch run`` after the backfill: requests, bytes and wall time.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import trafilatura
from scrapy.spiders import SitemapSpider

REPO = Path(__file__).resolve().parent.parent
LIFTED = {"DOWNLOAD_DELAY": "0", "AUTOTHROTTLE_ENABLED": "False",
          "CONCURRENT_REQUESTS_PER_DOMAIN": "8", "CONCURRENT_REQUESTS": "8"}
FAST_TOML = """
[crawl]
download_delay = 0
autothrottle = false
concurrent_requests_per_domain = 8
run_timeout = 3600
"""


class FloorSpider(SitemapSpider):
    """The floor: every article of the sitemaps, fetched and handed to trafilatura. Nothing else."""

    name = "floor"
    custom_settings = {"ROBOTSTXT_OBEY": False, "TELNETCONSOLE_ENABLED": False,  # noqa: RUF012
                       "LOG_LEVEL": "INFO"}

    def __init__(self, base: str = "", **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.sitemap_urls = [f"{base}/sitemap/sitemap.xml"]

    def parse(self, response: Any) -> Any:
        text = trafilatura.extract(response.text) or ""
        yield {"url": response.url, "chars": len(text)}


@dataclass
class Measure:
    pages: int
    wall: float
    cpu: float
    rss_mb: float

    @property
    def pages_per_s(self) -> float:
        return self.pages / self.wall if self.wall else 0.0

    @property
    def cpu_ms_per_page(self) -> float:
        return 1000 * self.cpu / self.pages if self.pages else 0.0


def measured(command: list[str], env: dict[str, str], cwd: Path) -> tuple[float, float, float]:
    """Run a child to completion: (wall s, CPU s, peak RSS MB) of that process."""
    started = time.perf_counter()
    proc = subprocess.Popen(command, env=env, cwd=cwd, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    wall = time.perf_counter() - started
    if proc.returncode != 0:
        raise SystemExit(f"bench: {command[:4]} exited with {proc.returncode}")
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024


def mtwatch_env(work: Path) -> dict[str, str]:
    (work / "fast.toml").write_text(FAST_TOML, encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if not k.startswith("MTWATCH_")}
    env.update({"MTWATCH_DATA_DIR": str(work / "data"), "MTWATCH_CONFIG": str(work / "fast.toml"),
                "MTWATCH_DB_URL": f"sqlite:///{work / 'mtwatch.db'}",
                "SCRAPY_SETTINGS_MODULE": "crawler.settings"})
    return env


def mtwatch_backfill(base: str, work: Path) -> Measure:
    for stale in work.glob("mtwatch.db*"):
        stale.unlink()
    settings = {"MTWATCH_SITE": base, "MTWATCH_SINCE": "2023-01-01", "LOG_LEVEL": "INFO",
                "LOG_FILE": str(work / "mtwatch.log"), **LIFTED}
    command = [sys.executable, "-m", "scrapy", "crawl", "moscowtimes"]
    for name, value in settings.items():
        command += ["-s", f"{name}={value}"]
    wall, cpu, rss = measured(command, mtwatch_env(work), REPO)
    stats = (work / "mtwatch.log").read_text(encoding="utf-8")
    pages = _stat(stats, "'mtwatch/fetched'")
    return Measure(pages, wall, cpu, rss)


def floor(base: str, work: Path) -> Measure:
    log = work / "floor.log"
    command = [sys.executable, "-m", "scrapy", "runspider", str(Path(__file__).resolve()),
               "-a", f"base={base}", "-s", f"LOG_FILE={log}"]
    for name, value in LIFTED.items():
        command += ["-s", f"{name}={value}"]
    env = {k: v for k, v in os.environ.items() if k != "SCRAPY_SETTINGS_MODULE"}
    wall, cpu, rss = measured(command, env, work)  # outside the repo: Scrapy's defaults
    pages = _stat(log.read_text(encoding="utf-8"), "'item_scraped_count'")
    return Measure(pages, wall, cpu, rss)


def _stat(log: str, key: str) -> int:
    for line in log.splitlines():
        if line.strip().startswith(key):
            return int(line.split(":")[1].strip().rstrip(","))
    return 0


def idle_runs(base: str, work: Path, access_log: Path, times: int) -> list[tuple[int, int, float]]:
    """(requests, bytes incl. headers, wall s) of ``mtwatch run`` when nothing changed."""
    mtwatch = Path(sys.executable).parent / "mtwatch"
    out = []
    for _ in range(times):
        before = len(access_log.read_text(encoding="utf-8").splitlines())
        started = time.perf_counter()
        subprocess.run([str(mtwatch), "run", "--site", base], env=mtwatch_env(work), cwd=work,
                       capture_output=True, check=True, timeout=600)
        wall = time.perf_counter() - started
        lines = access_log.read_text(encoding="utf-8").splitlines()[before:]
        records = [json.loads(line) for line in lines]
        size = sum(r["bytes"] + r.get("header_bytes", 0) for r in records)
        out.append((len(records), size, wall))
    return out


def start_replica(articles: int, work: Path) -> tuple[subprocess.Popen[str], str, Path]:
    log = work / "access.jsonl"
    proc = subprocess.Popen(
        [sys.executable, "-m", "tests.replica", "serve", "--port", "0", "--articles",
         str(articles), "--seed", "1", "--access-log", str(log)],
        cwd=REPO, stdout=subprocess.PIPE, text=True)
    assert proc.stdout is not None
    return proc, proc.stdout.readline().strip(), log


def median(values: list[float]) -> float:
    return statistics.median(values) if values else 0.0


def report(name: str, runs: list[Measure]) -> dict[str, float]:
    row = {"pages": median([m.pages for m in runs]),
           "pages/s": median([m.pages_per_s for m in runs]),
           "CPU ms/page": median([m.cpu_ms_per_page for m in runs]),
           "peak RSS MB": max(m.rss_mb for m in runs)}
    print(f"{name:<28} {row['pages']:>7.0f} {row['pages/s']:>9.1f} {row['CPU ms/page']:>12.1f} "
          f"{row['peak RSS MB']:>12.0f}")
    return row


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=2000)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--idle", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="mtwatch-bench-") as tmp:
        work = Path(tmp)
        proc, base, access_log = start_replica(args.articles, work)
        try:
            floor(base, work)  # warm-up: the replica renders and caches every page once
            ours, bare = [], []
            for _ in range(args.repeats):  # interleaved, so load changes hit both alike
                ours.append(mtwatch_backfill(base, work))
                bare.append(floor(base, work))
            idle = idle_runs(base, work, access_log, args.idle)
        finally:
            proc.terminate()
            proc.wait(timeout=10)
    print(f"replica: {args.articles} articles; politeness lifted; medians of {args.repeats}")
    print(f"{'full backfill':<28} {'pages':>7} {'pages/s':>9} {'CPU ms/page':>12} "
          f"{'peak RSS MB':>12}")
    mine = report("mtwatch (crawl child)", ours)
    base_row = report("floor (Scrapy+trafilatura)", bare)
    ratio = mine["pages/s"] / base_row["pages/s"] if base_row["pages/s"] else 0.0
    print(f"throughput ratio mtwatch/floor: {ratio:.2f} (target >= 0.8); "
          f"peak RSS {mine['peak RSS MB']:.0f} MB (target < 300)")
    print(f"idle run (mtwatch run, nothing new), median of {args.idle}: "
          f"{median([r[0] for r in idle]):.0f} requests, {median([r[1] for r in idle]):.0f} bytes "
          "(status lines, headers and bodies), "
          f"{median([r[2] for r in idle]):.2f} s wall")
    return 0


if __name__ == "__main__":
    sys.exit(main())
