"""Monitor state across runs: a monitor trips once and recovers once; unjudged, it stays.

The state is one JSON object in the store's ``ops_state`` (``crawler.health.coverage``): per monitor
whether it is tripped, since when, why, and its last measurement.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from crawler.health.readings import Reading


@dataclass(frozen=True)
class Change:
    """A monitor that tripped (``tripped``) or recovered in this run."""

    monitor: str
    tripped: bool
    reason: str
    since: str


@dataclass
class Advance:
    """The monitors' state after a run, and what changed."""

    state: dict[str, dict[str, Any]]
    changes: list[Change] = field(default_factory=list)

    @property
    def tripped(self) -> list[str]:
        return sorted(name for name, entry in self.state.items() if entry.get("tripped"))

    def reasons(self) -> list[str]:
        """Why the run is degraded: every monitor in the tripped state; one this run could
        not judge again says since when it is tripped."""
        out = []
        for name in self.tripped:
            entry = self.state[name]
            reason = str(entry.get("reason") or name)
            out.append(f"{reason} (since {when(entry.get('since'))}; not judged again in "
                       f"this run: {entry.get('value') or 'no data'})" if entry.get("carried")
                       else reason)
        return out


def when(stamp: object) -> str:
    """An ISO time from the state as a person reads it: ``2026-06-23 10:00 UTC``."""
    try:
        moment = datetime.fromisoformat(str(stamp))
    except ValueError:
        return "?"
    return f"{moment.astimezone(UTC):%Y-%m-%d %H:%M} UTC"


def advance(state: Mapping[str, Mapping[str, Any]], readings: Sequence[Reading],
            now: datetime) -> Advance:
    """The new state: a judged monitor takes its reading; an unjudged one keeps its state.
    Monitors without a reading (a canary taken out of the config) are dropped."""
    stamp = now.isoformat(timespec="seconds")
    out = Advance({})
    for r in readings:
        old = dict(state.get(r.monitor) or {"tripped": False})
        entry = {**old, "value": r.value or old.get("value", ""), "carried": r.tripped is None}
        if r.tripped is not None:
            entry["judged_at"] = stamp
        if r.tripped and not old.get("tripped"):
            entry.update(tripped=True, since=stamp, reason=r.reason)
            out.changes.append(Change(r.monitor, True, r.reason, stamp))
        elif r.tripped:
            entry["reason"] = r.reason
        elif r.tripped is False and old.get("tripped"):
            entry.update(tripped=False, since=stamp, reason="")
            out.changes.append(Change(r.monitor, False, str(old.get("reason") or ""),
                                      str(old.get("since") or "")))
        out.state[r.monitor] = entry
    return out


def summary(state: Mapping[str, Mapping[str, Any]]) -> tuple[str, list[str]]:
    """For ``mtwatch status``: one line on every monitor, and one line per tripped one."""
    if not state:
        return "not judged yet (no run since they were added)", []
    tripped = [name for name, entry in sorted(state.items()) if entry.get("tripped")]
    healthy = len(state) - len(tripped)
    head = (f"{len(tripped)} tripped, {healthy} ok" if tripped else f"all {healthy} ok")
    lines = [f"{name}: {state[name].get('reason') or name} (since "
             f"{when(state[name].get('since'))})" for name in tripped]
    return head, lines
