"""The daemon's bookkeeping: dead-man's switch notices, slot rows, heartbeat, metrics."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from crawler.daemon.bookkeeping import DAEMON_KEY, StoreHooks
from crawler.daemon.metrics import Metrics
from crawler.health import deadman
from pipelines.storage import Store

NOW = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
HOUR = timedelta(hours=1)


def ok_run(store: Store, finished: datetime) -> None:
    run_id = store.start_run(trigger="daemon", now=finished - timedelta(minutes=1))
    store.finish_run(run_id, now=finished, status="ok", reason="", stats={})


def test_deadman_notifies_once_when_stale_and_once_on_recovery(store: Store) -> None:
    sent: list[str] = []

    def check(now: datetime) -> str | None:
        return deadman.check(store, lambda s, b: sent.append(s), now=now,
                             watching_since=NOW - 3 * HOUR, threshold=HOUR)

    ok_run(store, NOW - timedelta(minutes=30))
    assert check(NOW) is None, "a success 30 min ago is fresh"
    assert check(NOW + HOUR) == "mtwatch: no successful crawl for 90 min"
    assert check(NOW + 2 * HOUR) is None, "one notice per outage, not one per tick"
    assert check(NOW + 5 * HOUR) is None
    ok_run(store, NOW + 5 * HOUR)
    assert check(NOW + 5 * HOUR + timedelta(minutes=1)) == "mtwatch: crawls succeed again"
    assert check(NOW + 5 * HOUR + timedelta(minutes=2)) is None
    assert sent == ["mtwatch: no successful crawl for 90 min", "mtwatch: crawls succeed again"]


def test_deadman_never_succeeded_counts_from_the_start_and_retries_failed_notices(
    store: Store
) -> None:
    def failing(subject: str, body: str) -> None:
        raise OSError("SMTP down")

    with pytest.raises(OSError, match="SMTP down"):
        deadman.check(store, failing, now=NOW, watching_since=NOW - 2 * HOUR, threshold=HOUR)
    assert store.get_state(deadman.STATE_KEY) is None, "not sent, so not recorded"
    sent: list[str] = []
    assert deadman.check(store, lambda s, b: sent.append(b), now=NOW,
                         watching_since=NOW - 2 * HOUR, threshold=HOUR)
    assert "No crawl has succeeded since" in sent[0]
    assert deadman.check(store, None, now=NOW, watching_since=NOW - 10 * HOUR,
                         threshold=HOUR) is None


def test_store_hooks_record_slots_heartbeats_and_the_stop(store: Store, tmp_path: Path) -> None:
    metrics = Metrics(tmp_path / "metrics" / "mtwatch.prom", 0)
    hooks = StoreHooks(store, schedule="every 60 s", interval=60, deadman_after=None,
                       notify=None, deliver=lambda now: "0 sent", metrics=metrics)
    hooks.slot("skipped", "max_instances: the previous crawl was still running")
    hooks.heartbeat(NOW)
    state = store.get_state(DAEMON_KEY)
    assert state is not None
    assert (state["state"], state["next_crawl_at"]) == ("running", NOW.isoformat())
    hooks.stopped()
    hooks.heartbeat(NOW)  # a late event after the stop changes nothing
    assert store.get_state(DAEMON_KEY)["state"] == "stopped"  # type: ignore[index]
    assert [r.status for r in store.last_runs()] == ["skipped"]
    text = (tmp_path / "metrics" / "mtwatch.prom").read_text()
    assert 'mtwatch_runs_total{status="skipped"} 1.0' in text


def test_metrics_count_runs_and_the_outbox(tmp_path: Path) -> None:
    metrics = Metrics.from_config(str(tmp_path / "m.prom"), 0)
    assert metrics is not None
    metrics.observe_run("ok", 12.5, NOW)
    metrics.observe_run("failed", 3.0, None)
    metrics.observe_alerts({"pending": 2, "dead": 1})
    metrics.flush()
    text = (tmp_path / "m.prom").read_text()
    assert 'mtwatch_runs_total{status="ok"} 1.0' in text
    last = next(line for line in text.splitlines()
                if line.startswith("mtwatch_last_success_timestamp_seconds "))
    assert float(last.split()[1]) == NOW.timestamp()
    assert 'mtwatch_alerts{status="dead"} 1.0' in text
    assert Metrics.from_config("", 0) is None


def test_metrics_endpoint_serves_on_loopback() -> None:
    import socket
    import urllib.request

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    metrics = Metrics(None, port)
    metrics.observe_run("degraded", 1.0, NOW)
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=10) as resp:
        body = resp.read().decode()
    assert 'mtwatch_runs_total{status="degraded"} 1.0' in body
