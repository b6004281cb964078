"""Optional Prometheus run counters for the daemon: a textfile and/or a loopback endpoint."""

from __future__ import annotations

import logging
from datetime import datetime
from pathlib import Path
from typing import Any

from crawler.config import ConfigError

logger = logging.getLogger(__name__)


class Metrics:
    """Counters of runs by status, the last success time and the outbox backlog."""

    def __init__(self, textfile: Path | None, port: int) -> None:
        try:
            import prometheus_client as prom
        except ImportError:
            raise ConfigError("daemon.metrics_*: Prometheus metrics need prometheus-client "
                              "(pip install 'mtwatch[metrics]')") from None
        self._prom: Any = prom
        self.textfile = textfile
        self.registry = prom.CollectorRegistry()
        self.runs = prom.Counter("mtwatch_runs", "Crawl runs and schedule slots by status",
                                 ["status"], registry=self.registry)
        self.last_success = prom.Gauge("mtwatch_last_success_timestamp_seconds",
                                       "When the last successful crawl finished (Unix time)",
                                       registry=self.registry)
        self.duration = prom.Gauge("mtwatch_last_run_duration_seconds",
                                   "Wall time of the last crawl", registry=self.registry)
        self.alerts = prom.Gauge("mtwatch_alerts", "Outbox rows by status", ["status"],
                                 registry=self.registry)
        if port:
            prom.start_http_server(port, addr="127.0.0.1", registry=self.registry)

    @classmethod
    def from_config(cls, textfile: str, port: int) -> Metrics | None:
        if not textfile and not port:
            return None
        return cls(Path(textfile) if textfile else None, port)

    def observe_run(self, status: str, seconds: float, finished: datetime | None) -> None:
        self.runs.labels(status=status).inc()
        if seconds:
            self.duration.set(seconds)
        if finished is not None:
            self.last_success.set(finished.timestamp())

    def observe_alerts(self, counts: dict[str, int]) -> None:
        for status in ("pending", "sending", "dead"):
            self.alerts.labels(status=status).set(counts.get(status, 0))

    def flush(self) -> None:
        """Write the textfile atomically (the collector must never read half a file)."""
        if self.textfile is None:
            return
        try:
            self.textfile.parent.mkdir(parents=True, exist_ok=True)
            self._prom.write_to_textfile(str(self.textfile), self.registry)
        except OSError as exc:
            logger.warning("cannot write metrics to %s: %s", self.textfile, exc)
