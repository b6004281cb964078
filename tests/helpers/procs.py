"""Process trees from /proc (Linux): who a process started, and whether they are gone."""

from __future__ import annotations

from pathlib import Path

from tests.helpers.ops import wait_until


def _stat(pid: int) -> tuple[str, int] | None:
    """(state, parent pid) of ``pid``, or None when it does not exist."""
    try:
        raw = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    fields = raw[raw.rindex(")") + 2:].split()  # the command name may hold spaces
    return fields[0], int(fields[1])


def children(pid: int) -> list[int]:
    out = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit() and (stat := _stat(int(entry.name))) is not None \
                and stat[1] == pid:
            out.append(int(entry.name))
    return sorted(out)


def descendants(pid: int) -> list[int]:
    """Every process below ``pid``, parents before their children."""
    found: list[int] = []
    todo = children(pid)
    while todo:
        child = todo.pop(0)
        found.append(child)
        todo += children(child)
    return found


def running(pid: int) -> bool:
    """Alive: a zombie (dead, not reaped yet) no longer holds locks or runs code."""
    stat = _stat(pid)
    return stat is not None and stat[0] not in ("Z", "X")


def cmdline(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
    except OSError:
        return ""


def wait_gone(pids: list[int], timeout: float, what: str) -> None:
    """Wait until none of ``pids`` runs any more (fails after ``timeout`` seconds)."""
    wait_until(lambda: not any(running(p) for p in pids), timeout,
               f"{what}: still running: {[p for p in pids if running(p)]}", every=0.05)
