"""Fleet benchmark: ``mtwatch run`` over a loopback fleet of replica sites, idle and for a day.

    .venv/bin/python bench/fleet.py [--sites 200] [--idle 3] [--hours 12] [--tick 15]
                                    [--tail 2] [--no-day]

The defaults simulate the first half of the day (its first 12 hours, about a hundred stories,
and two hours more for late detections) at the daemon's 15-minute tick: on a busy
2-core machine (load average about 6) ``--sites 200`` took 32 minutes, 4.5 for the first
run, 6 for the idle polls and 21 for the day. ``--hours 24 --tail 6`` is the whole day.

The fleet (tests/replica/fleet.py) is ``--sites`` small news sites, site N on its own loopback
address 127.0.1.N, all served by this process: CMS replicas (a WordPress-like blog, a large
publisher, a Russian-language site) as ``kind = "generic"`` sites and, every tenth, a replica
of The Moscow Times (``kind = "moscowtimes"``). Each site is a ``[sites.<name>]`` table of one
config file, as the README shows them, and every measurement is the real ``mtwatch run`` (its
crawl child included) with its own SQLite store, politeness lifted for loopback
(``fast_on_loopback``) and no alert channel (matches are stored, nothing is sent).

1. **First run**: every site's feeds, sitemaps and the articles they list.
2. **Idle polls** (``--idle`` rounds): ``mtwatch run`` with adaptive polling off, so that every
   feed and sitemap is polled, when nothing changed. Prints how many feed and sitemap requests
   answered 304 (conditional ones, and those mtwatch sent without validators, by document),
   the other requests, wall and CPU seconds of ``mtwatch run`` with its children (rusage) and
   CPU per polled source, and the share of 304s over every round (the target: 100 %). A
   sitemap index's sitemaps count too: they keep validators like the sources (an author or
   taxonomy sitemap is not read at all), and a feed configured at an address that redirects
   permanently is asked where it moved (the first run follows the redirect once). Each round
   also polls the first site alone: the difference is the CPU a source adds, apart from the
   run's fixed cost (start-up, imports).
3. **A day of publishing**: the fleet publishes its day's stories (about a fifth of them planted
   Syria–Turkey positives) at their minutes of the simulated day, and ``mtwatch run`` polls on
   its own adaptive schedule (the ``[polling]`` defaults: 30 min at first, then learned per
   source). Prints the median and p90 detection latency of the positives against the poll
   interval: the [polling] default, and each story's site's learned interval when it was
   published (the shortest of its sources' intervals as the runs before had left them).

How time is simulated in part 3: nothing waits for a real day. The bench steps a simulated
clock in daemon ticks of ``--tick`` minutes (the daemon's ``[schedule] interval``: 15 by
default) from the start of the day to ``--tail`` hours after its end. At each tick it moves
every site's clock there (stories published by then appear in its feeds, sitemaps and pages)
and runs ``mtwatch run`` with ``MTWATCH_POLL_NOW`` set to the tick (the clock the polling
schedules read), so each source is polled at the simulated times its learned schedule says.
A tick runs the sites that have a source due (or an article still to fetch) and only those: a
run of the whole fleet would also open the other sites' crawlers, find nothing due and close
them, which costs CPU (part 2 measures it) and polls nothing. A tick with no site due runs
nothing. A publication is detected at the tick of the run that stored its match; its latency
is (tick - publication time) in simulated minutes: both on the simulated clock (a story
appears on its site at the first tick at or after its minute, and a run at tick T is given
``MTWATCH_POLL_NOW`` = T), so the latency includes the wait for that tick and for its
site's next poll, never the bench's own wall time. The store's other clocks (fetch times, the
robots.txt cache, retry back-off) stay on the wall clock, which is later than the simulated day.

Each ``mtwatch run`` costs a few CPU seconds whatever it polls (start-up and imports of the
command and its crawl child), and every site is polled every 30 to 90 simulated minutes (the
fleet starts in step, so most ticks run most of the fleet, and some none): 12 hours at a
15-minute tick were 49 runs and 3,087 site polls. The day dominates the bench's time;
``--sites``, ``--hours`` and ``--no-day`` shrink it.
"""

from __future__ import annotations

import argparse
import json
import os
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from tests.replica.fleet import (  # noqa: E402
    DAY_START,
    Fleet,
    Publication,
    is_conditional,
    is_document,
)
from tests.replica.server import AccessRecord  # noqa: E402

#: the run config after the sites: the shipped site off, politeness lifted for loopback,
#: matches stored without alerting, each alert immediate (the replica's articles are old)
RUN_CONFIG = """
[sites.moscowtimes]
enabled = false

[alerts]
channels = []
backfill_age = "0"

[crawl]
fast_on_loopback = true
run_timeout = 3600

[schedule]
interval = {tick_seconds}
"""
#: the [polling] default interval (minutes): the latency target
POLL_INTERVAL = 30.0
#: crawl.max_article_failures: an article failed this often is given up
MAX_FAILURES = 10
#: a progress line every this many simulated hours of the day
PROGRESS_HOURS = 3


@dataclass
class Run:
    """One ``mtwatch run``: exit code, wall and CPU seconds, its JSON summary, and the
    requests the fleet answered meanwhile."""

    code: int
    wall: float
    cpu: float
    summary: dict[str, Any]
    requests: list[AccessRecord] = field(default_factory=list)

    @property
    def counts(self) -> dict[str, int]:
        return dict(self.summary.get("counts", {}))


class Bench:
    """The fleet, one work directory (config file, store) and the runs made against them."""

    def __init__(self, fleet: Fleet, work: Path, tick: int) -> None:
        self.fleet = fleet
        self.work = work
        self.tick = tick
        self.db = work / "mtwatch.db"
        self.mtwatch = Path(sys.executable).parent / "mtwatch"

    def config(self, only: set[str] | None) -> Path:
        """The run's config file: every site of the fleet, those not in ``only`` disabled."""
        tables = [site.config() + ("" if only is None or site.name in only
                                   else "enabled = false\n")
                  for site in self.fleet.sites]
        path = self.work / "fleet.toml"
        path.write_text("\n".join(tables) + RUN_CONFIG.format(tick_seconds=self.tick * 60),
                        encoding="utf-8")
        return path

    def run(self, now: datetime, *, adaptive: bool = True, only: set[str] | None = None
            ) -> Run:
        """``mtwatch run --json`` at simulated time ``now`` (the polling clock)."""
        env = {k: v for k, v in os.environ.items() if not k.startswith("MTWATCH_")}
        env.update({
            "MTWATCH_CONFIG": str(self.config(only)),
            "MTWATCH_DATA_DIR": str(self.work / "data"),
            "MTWATCH_DB_URL": f"sqlite:///{self.db}",
            "MTWATCH_POLL_NOW": f"{now.timestamp():.0f}",
            "MTWATCH_ADAPTIVE_POLLING": "true" if adaptive else "false",
        })
        before = {name: len(log) for name, log in self.fleet.requests().items()}
        started = time.perf_counter()
        proc = subprocess.Popen([str(self.mtwatch), "run", "--json"], env=env, cwd=self.work,
                                stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        assert proc.stdout is not None
        out = proc.stdout.read()
        _, status, usage = os.wait4(proc.pid, 0)
        proc.returncode = os.waitstatus_to_exitcode(status)
        wall = time.perf_counter() - started
        summary: dict[str, Any] = next((json.loads(line) for line in reversed(out.splitlines())
                        if line.startswith("{")), {})
        requests = [r for name, log in self.fleet.requests().items() for r in log[before[name]:]]
        return Run(proc.returncode, wall, usage.ru_utime + usage.ru_stime, summary, requests)

    def query(self, sql: str) -> list[tuple[Any, ...]]:
        with sqlite3.connect(self.db) as conn:
            return list(conn.execute(sql))

    def due_sites(self, now: datetime) -> set[str]:
        """Sites with a source due at ``now``, or an article still to fetch."""
        due = {site for site, schedule in self.query(
            "SELECT site, schedule FROM source_polls WHERE schedule IS NOT NULL")
            if json.loads(schedule)["next_poll_at"] <= now.timestamp()}
        due.update(site for (site,) in self.query(
            "SELECT DISTINCT site FROM articles WHERE state != 'evaluated' "
            f"AND failures < {MAX_FAILURES}"))
        return due

    def matched(self) -> set[tuple[str, str]]:
        """(site, article key) of every article with a match."""
        return set(self.query("SELECT a.site, a.article_key FROM matches m "
                              "JOIN articles a ON a.article_id = m.article_id"))

    def site_intervals(self) -> dict[str, float]:
        """Each site's shortest learned polling interval (minutes): how often it is polled."""
        found: dict[str, float] = {}
        for site, schedule in self.query(
                "SELECT site, schedule FROM source_polls WHERE schedule IS NOT NULL"):
            interval = json.loads(schedule)["interval"] / 60
            found[site] = min(found.get(site, interval), interval)
        return found

    def intervals(self) -> list[float]:
        """Every source's learned polling interval, in minutes."""
        return [json.loads(s)["interval"] / 60 for (s,) in self.query(
            "SELECT schedule FROM source_polls WHERE schedule IS NOT NULL")]


def median(values: Iterable[float]) -> float:
    ordered = list(values)
    return statistics.median(ordered) if ordered else float("nan")


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))] if ordered else float("nan")


def _tally(records: Iterable[AccessRecord]) -> str:
    """The most frequent (status, document) pairs, a document named by its last path part."""
    counts = Counter(f"{r.status} {r.path.split('?', 1)[0].rstrip('/').rsplit('/', 1)[-1][:40]}"
                     for r in records)
    return ", ".join(f"{n}x {what}" for what, n in counts.most_common(6))


# ---- the three parts -----------------------------------------------------------------------

def first_run(bench: Bench) -> None:
    run = bench.run(DAY_START)
    counts = run.counts
    print(f"first run: exit {run.code}, {run.wall:.1f} s wall, {run.cpu:.1f} s CPU, "
          f"{len(run.requests)} requests, {counts.get('evaluated', 0)} articles evaluated, "
          f"{counts.get('new matches', 0)} matched; {run.summary.get('status', '?')}")


@dataclass
class IdlePoll:
    documents: int
    conditional: int
    not_modified: int
    polled: int
    wall: float
    cpu: float


def idle_poll(bench: Bench, number: int) -> IdlePoll:
    run = bench.run(DAY_START, adaptive=False)
    docs = [r for r in run.requests if is_document(r)]
    asked = [r for r in docs if is_conditional(r)]
    others = [r for r in run.requests if not is_document(r)]
    poll = IdlePoll(len(docs), len(asked), sum(r.status == 304 for r in docs),
                    run.counts.get("sources polled", 0), run.wall, run.cpu)
    print(f"idle poll {number}: exit {run.code}; 304s: {poll.not_modified}/{poll.documents} "
          f"feed and sitemap requests ({poll.polled} scheduled sources polled), "
          f"{sum(r.status == 304 for r in asked)}/{len(asked)} of the conditional ones; "
          f"{run.wall:.1f} s wall, {run.cpu:.1f} s CPU")
    plain = [r for r in docs if not is_conditional(r)]
    if plain:
        print(f"   asked without validators: {_tally(plain)}")
    if others:
        print(f"   other requests: {_tally(others)}")
    return poll


def idle_polls(bench: Bench, rounds: int) -> bool:
    """``rounds`` idle polls of the fleet, each followed by one of its first site alone;
    True if every feed and sitemap request answered 304."""
    polls, alone = [], []
    first = bench.fleet.sites[0].name
    for number in range(1, rounds + 1):
        polls.append(idle_poll(bench, number))
        alone.append(bench.run(DAY_START, adaptive=False, only={first}))
    sources = median(p.polled for p in polls)
    cpu, wall = median(p.cpu for p in polls), median(p.wall for p in polls)
    base = median(r.cpu for r in alone)
    base_sources = median(r.counts.get("sources polled", 0) for r in alone)
    marginal = (cpu - base) / (sources - base_sources) if sources > base_sources else 0.0
    all_304 = all(p.not_modified == p.documents for p in polls)
    share = sum(p.not_modified for p in polls) / max(sum(p.documents for p in polls), 1)
    sites = len(bench.fleet.sites)
    print(f"idle poll of {sites} sites, median of {rounds}: {wall:.1f} s wall, {cpu:.1f} s CPU "
          f"= {1000 * cpu / sources:.0f} ms CPU per polled source ({sources:.0f} sources), "
          f"{1000 * cpu / sites:.0f} ms per site; one site alone: {base:.1f} s CPU, so each "
          f"further source adds {1000 * marginal:.0f} ms")
    print(f"every feed and sitemap answered 304: {'yes' if all_304 else 'NO'} "
          f"({100 * share:.1f} % of {sum(p.documents for p in polls)} requests over {rounds} "
          f"rounds)")
    return all_304


@dataclass
class Day:
    """What a simulated day came to: latencies (minutes) of the detected positives."""

    latencies: list[float]
    #: each detected positive's latency over its site's polling interval when it was published
    ratios: list[float]
    missed: list[Publication]
    false_matches: int
    runs: int
    idle_ticks: int
    site_polls: int
    cpu: float
    wall: float
    failed_runs: int


def day_of_publishing(bench: Bench, hours: float, tail: float) -> Day:
    fleet = bench.fleet
    end_of_day = DAY_START + timedelta(hours=hours)
    published = {(p.site, p.key): p for p in fleet.publications if p.published <= end_of_day}
    positives = {key for key, p in published.items() if p.positive}
    detected: dict[tuple[str, str], datetime] = {}
    #: the site's polling interval in force when each story was published (minutes)
    in_force: dict[tuple[str, str], float] = {}
    known = bench.matched()
    runs = idle_ticks = site_polls = failed = 0
    cpu = wall = 0.0
    now = DAY_START
    progress = DAY_START + timedelta(hours=PROGRESS_HOURS)
    while now < end_of_day + timedelta(hours=tail):
        now += timedelta(minutes=bench.tick)
        appeared = fleet.set_now(min(now, end_of_day))
        if appeared:  # the schedules as the last run left them: those in force meanwhile
            intervals = bench.site_intervals()
            in_force.update({(p.site, p.key): intervals.get(p.site, POLL_INTERVAL)
                             for p in appeared})
        due = bench.due_sites(now)
        if not due:
            idle_ticks += 1
            continue
        run = bench.run(now, only=due)
        runs, site_polls, failed = runs + 1, site_polls + len(due), failed + (run.code != 0)
        cpu, wall = cpu + run.cpu, wall + run.wall
        matched = bench.matched()
        detected.update(dict.fromkeys(matched - known, now))
        known = matched
        if now >= end_of_day and positives <= detected.keys():
            break
        if now >= progress:  # the first run past a boundary (sources come due together)
            while progress <= now:
                progress += timedelta(hours=PROGRESS_HOURS)
            print(f"   +{(now - DAY_START) / timedelta(hours=1):g} h simulated: {runs} runs, "
                  f"{site_polls} site polls, {len(positives & detected.keys())}/"
                  f"{len(positives)} positives detected; {wall / 60:.1f} min", flush=True)
    latencies = [(detected[key] - published[key].published).total_seconds() / 60
                 for key in positives if key in detected]
    ratios = [(detected[key] - published[key].published).total_seconds() / 60 / in_force[key]
              for key in positives if key in detected]
    missed = [published[key] for key in positives if key not in detected]
    false_matches = sum(1 for key in published if key not in positives and key in detected)
    return Day(latencies, ratios, missed, false_matches, runs, idle_ticks, site_polls, cpu,
               wall, failed)


def report_day(bench: Bench, day: Day, hours: float) -> bool:
    fleet = bench.fleet
    stories = [p for p in fleet.publications if p.published <= DAY_START + timedelta(hours=hours)]
    positives = sum(p.positive for p in stories)
    intervals = bench.intervals()
    ratio = median(day.latencies) / POLL_INTERVAL
    sites = len(fleet.sites)
    print(f"day of publishing ({hours:g} h): {len(stories)} stories on {sites} sites, "
          f"{positives} of them Syria-Turkey positives; daemon tick {bench.tick} min: "
          f"{day.runs} runs ({day.failed_runs} not exit 0), {day.idle_ticks} ticks with nothing "
          f"due; {day.site_polls} site polls ({day.site_polls / sites:.1f} per site); "
          f"{day.wall / 60:.1f} min wall, {day.cpu / 60:.1f} min CPU")
    print(f"   detected {len(day.latencies)}/{positives} positives "
          f"({len(day.missed)} missed); {day.false_matches} other stories matched")
    print(f"   detection latency, publication -> match stored (simulated min): median "
          f"{median(day.latencies):.0f}, p90 {percentile(day.latencies, 0.9):.0f}, max "
          f"{max(day.latencies, default=float('nan')):.0f}; learned poll intervals at the end: "
          f"median {median(intervals):.0f} min ({min(intervals, default=0):.0f}-"
          f"{max(intervals, default=0):.0f})")
    print(f"   median latency / poll interval ({POLL_INTERVAL:.0f} min, the [polling] default): "
          f"{ratio:.2f} (target < 1); each latency over its site's learned interval when it "
          f"was published: median {median(day.ratios):.2f}, p90 "
          f"{percentile(day.ratios, 0.9):.2f}")
    return ratio < 1 and median(day.ratios) < 1 and not day.missed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sites", type=int, default=200, help="fleet size (1-254)")
    parser.add_argument("--idle", type=int, default=3, help="idle poll rounds (medians)")
    parser.add_argument("--hours", type=float, default=12.0,
                        help="hours of the day of publishing simulated (from its start)")
    parser.add_argument("--tick", type=int, default=15, help="daemon tick, simulated minutes")
    parser.add_argument("--tail", type=float, default=2.0,
                        help="simulated hours after the publishing, for late detections")
    parser.add_argument("--no-day", action="store_true", help="skip the day of publishing")
    args = parser.parse_args()
    started = time.perf_counter()
    fleet = Fleet(args.sites)
    layouts = Counter(site.layout for site in fleet.sites)
    print(f"fleet: {args.sites} sites on 127.0.1.1-127.0.1.{args.sites} "
          f"({', '.join(f'{n} {name}' for name, n in layouts.most_common())}), built in "
          f"{time.perf_counter() - started:.1f} s; load average {os.getloadavg()[0]:.1f} on "
          f"{os.cpu_count()} CPUs")
    with tempfile.TemporaryDirectory(prefix="mtwatch-fleet-") as tmp, fleet:
        bench = Bench(fleet, Path(tmp), args.tick)
        first_run(bench)
        ok = idle_polls(bench, args.idle)
        if not args.no_day:
            day = day_of_publishing(bench, args.hours, args.tail)
            ok = report_day(bench, day, args.hours) and ok
    print(f"bench: {(time.perf_counter() - started) / 60:.1f} min")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
