"""Benchmark `mtwatch daemon`: memory over idle polls, cost of an idle poll, detection latency.

    .venv/bin/python bench/daemon.py [--polls 200] [--samples 5]

Idle polls run back to back (--interval 1: the next slot starts as soon as the previous crawl
ends) against an in-process replica where nothing new is published. Detection latency runs the
daemon at a 10-second interval and publishes planted positives at random moments; the latency
is the time from the publication on the replica to the alert e-mail arriving at the loopback
SMTP server. Prints a table of medians.
"""

from __future__ import annotations

import argparse
import os
import random
import re
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from tests.helpers.launch import FAST_CONFIG  # noqa: E402
from tests.helpers.ops import Publisher, alerts_by_article, wait_until  # noqa: E402
from tests.helpers.smtp import SmtpServer  # noqa: E402
from tests.replica import Replica  # noqa: E402

CLK = os.sysconf("SC_CLK_TCK")
POLL = re.compile(r"crawl \d+: (ok|degraded) in ([\d.]+) s")


def env_for(work: Path, smtp: SmtpServer) -> dict[str, str]:
    work.mkdir(parents=True, exist_ok=True)
    (work / "fast.toml").write_text(FAST_CONFIG + "\n[daemon]\ndeadman_intervals = 0\n",
                                    encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if not k.startswith("MTWATCH_")}
    env.update({
        "MTWATCH_DATA_DIR": str(work / "data"), "MTWATCH_DB_URL": f"sqlite:///{work / 'm.db'}",
        "MTWATCH_CONFIG": str(work / "fast.toml"), "MTWATCH_SMTP_HOST": "127.0.0.1",
        "MTWATCH_SMTP_PORT": str(smtp.port), "MTWATCH_SMTP_SECURITY": "none",
        "MTWATCH_EMAIL_FROM": "bench@test.invalid", "MTWATCH_EMAIL_TO": "desk@test.invalid",
    })
    return env


def daemon(work: Path, env: dict[str, str], site: str, interval: float
           ) -> tuple[subprocess.Popen[bytes], Path]:
    log = work / f"daemon-{interval:g}.log"
    with log.open("wb") as out:
        proc = subprocess.Popen(
            [str(Path(sys.executable).parent / "mtwatch"), "daemon", "--site", site,
             "--interval", f"{interval:g}"], cwd=work, env=env, stdout=out,
            stderr=subprocess.STDOUT)
    return proc, log


def rss_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def cpu_seconds(pid: int) -> float:
    """CPU of the daemon and of its finished children (the crawls)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return sum(int(fields[i]) for i in (11, 12, 13, 14)) / CLK


def polls(log: Path) -> list[float]:
    return [float(m.group(2)) for m in POLL.finditer(log.read_text(errors="replace"))]


def idle_polls(work: Path, smtp: SmtpServer, count: int) -> dict[str, float]:
    with Replica(articles=60, seed=3) as replica:
        proc, log = daemon(work, env_for(work, smtp), replica.base_url, 1)
        try:
            wait_until(lambda: len(polls(log)) >= 2, 300, "the first idle poll")
            rss_1, cpu_mark, done = rss_mib(proc.pid), cpu_seconds(proc.pid), 2
            cpu: list[float] = []
            while done < count + 1:
                wait_until(lambda: len(polls(log)) > done, 300, "the next poll", every=0.05)  # noqa: B023
                now_cpu = cpu_seconds(proc.pid)
                cpu.append((now_cpu - cpu_mark) / (len(polls(log)) - done))
                cpu_mark, done = now_cpu, len(polls(log))
            rss_n = rss_mib(proc.pid)
        finally:
            proc.send_signal(signal.SIGTERM)
            proc.wait(timeout=60)
    walls = polls(log)[1 : count + 1]
    return {"rss_1": rss_1, "rss_n": rss_n, "polls": len(walls),
            "cpu": statistics.median(cpu), "wall": statistics.median(walls)}


def latency(work: Path, smtp: SmtpServer, samples: int) -> list[float]:
    rng = random.Random(10)
    out = []
    with Replica(articles=300, seed=13) as replica:
        publisher = Publisher(replica, hidden=50)
        proc, log = daemon(work, env_for(work, smtp), replica.base_url, 10)
        try:
            wait_until(lambda: len(polls(log)) >= 1, 300, "the first crawl")
            while publisher.queue and len(out) < samples:
                time.sleep(rng.uniform(0, 10))  # a random phase of the 10-second schedule
                batch = next(i for i, a in enumerate(publisher.queue) if a.positive) + 1
                target = publisher.queue[batch - 1].id
                publisher.publish(batch)
                published = time.time()
                wait_until(lambda: target in alerts_by_article(smtp.messages,  # noqa: B023
                                                               replica.truth),
                           120, "the alert", every=0.05)
                out.append(time.time() - published)
        finally:
            proc.send_signal(signal.SIGTERM)
            proc.wait(timeout=60)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--polls", type=int, default=200)
    parser.add_argument("--samples", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="mtwatch-bench-") as tmp:
        with SmtpServer() as smtp:
            idle = idle_polls(Path(tmp) / "idle", smtp, args.polls)
        with SmtpServer() as smtp:
            lat = latency(Path(tmp) / "latency", smtp, args.samples)
    print(f"{'metric':<44} {'value':>10}")
    print(f"{'daemon RSS after 1 idle poll (MiB)':<44} {idle['rss_1']:>10.1f}")
    label = f"daemon RSS after {idle['polls']:.0f} idle polls (MiB)"
    print(f"{label:<44} {idle['rss_n']:>10.1f}")
    print(f"{'RSS growth (ratio)':<44} {idle['rss_n'] / idle['rss_1']:>10.3f}")
    print(f"{'idle poll CPU, median (s, daemon + crawl)':<44} {idle['cpu']:>10.2f}")
    print(f"{'idle poll wall time, median (s)':<44} {idle['wall']:>10.2f}")
    print(f"{'detection latency @10 s, median (s)':<44} {statistics.median(lat):>10.1f}")
    print(f"{'detection latency @10 s, min / max (s)':<44} "
          f"{min(lat):>4.1f} / {max(lat):.1f}  (n={len(lat)})")


if __name__ == "__main__":
    main()
