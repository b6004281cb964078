"""Test hooks for crash trials: log each relay step to a file, or SIGKILL ourselves at one.

Both are off unless their variable is set; they exist so kill -9 tests can tell a kill that
landed between "send returned" and "mark committed" (the only window for a redelivery).
"""

from __future__ import annotations

import os
import signal

#: append "<pid> <event> <channel> <key>" per relay step (claimed, sent, marked, failed)
TRACE_ENV = "MTWATCH_ALERT_TRACE"
#: "<event>:<n>": SIGKILL this process right after its n-th <event> (e.g. "sent:2")
KILL_ENV = "MTWATCH_ALERT_KILL_AT"

_counts: dict[str, int] = {}


def event(name: str, channel: str, key: str) -> None:
    path = os.environ.get(TRACE_ENV)
    if path:
        line = f"{os.getpid()} {name} {channel} {key}\n".encode()
        fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
        try:
            os.write(fd, line)
        finally:
            os.close(fd)
    target = os.environ.get(KILL_ENV)
    if target and target.rpartition(":")[0] == name:
        _counts[name] = _counts.get(name, 0) + 1
        if str(_counts[name]) == target.rpartition(":")[2]:
            os.kill(os.getpid(), signal.SIGKILL)
