"""SQLite backups with the online backup API (never a `cp` of a live WAL database)."""

from __future__ import annotations

import logging
import os
import sqlite3
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy.engine import Connection

logger = logging.getLogger(__name__)

#: backups kept per database; older ones are removed after a new one is written
KEEP = 3


def sqlite_file(connection: Connection) -> Path | None:
    """The database file behind ``connection``, or None (PostgreSQL, in-memory SQLite)."""
    url = connection.engine.url
    database = url.database
    if url.get_backend_name() != "sqlite" or not database or database == ":memory:":
        return None
    if database.startswith("file:"):
        return None
    return Path(database).expanduser()


def backup(source: Path, dest: Path) -> Path:
    """A consistent copy of ``source`` at ``dest``, written to a temp name and renamed."""
    tmp = dest.with_name(dest.name + ".tmp")
    tmp.unlink(missing_ok=True)
    src = sqlite3.connect(f"{source.resolve().as_uri()}?mode=ro", uri=True)
    try:
        dst = sqlite3.connect(tmp)
        try:
            src.backup(dst)
            dst.execute("PRAGMA journal_mode=DELETE")  # one self-contained file
        finally:
            dst.close()
    finally:
        src.close()
    with tmp.open("rb") as fh:
        os.fsync(fh.fileno())
    tmp.replace(dest)
    return dest


def before_migration(source: Path, target: str, now: datetime | None = None) -> Path:
    """Back up ``source`` as ``<name>.pre-<target>.<UTC time>.bak``; keep the newest KEEP."""
    stamp = (now or datetime.now(UTC)).strftime("%Y%m%dT%H%M%SZ")
    dest = backup(source, source.with_name(f"{source.name}.pre-{target}.{stamp}.bak"))
    old = sorted(source.parent.glob(f"{source.name}.pre-*.bak"), key=lambda p: p.stat().st_mtime)
    for stale in old[:-KEEP]:
        stale.unlink(missing_ok=True)
    logger.warning("store backed up to %s before migrating", dest)
    return dest
