"""SQLite backups with the online backup API (never a `cp` of a live WAL database)."""

from __future__ import annotations

import logging
import os
import sqlite3
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy.engine import Connection

from pipelines.storage.database import sqlite_path
from pipelines.storage.files import link_fresh, temp_beside

logger = logging.getLogger(__name__)

#: backups kept per database; older ones are removed after a new one is written
KEEP = 3


def sqlite_file(connection: Connection) -> Path | None:
    """The database file behind ``connection``, or None (PostgreSQL, in-memory SQLite)."""
    return sqlite_path(connection.engine.url)


def backup(source: Path, dest: Path) -> Path:
    """A consistent copy of ``source``, 0600, written to a fresh temporary file and then linked
    to ``dest`` (or ``<dest>-2``… when that name is taken): an existing file or symlink is never
    replaced or written through. Returns the name it got."""
    tmp = temp_beside(dest)
    try:
        src = sqlite3.connect(f"{source.resolve().as_uri()}?mode=ro", uri=True)
        try:
            dst = sqlite3.connect(tmp)  # the empty 0600 file: SQLite keeps its mode
            try:
                src.backup(dst)
                dst.execute("PRAGMA journal_mode=DELETE")  # one self-contained file
            finally:
                dst.close()
        finally:
            src.close()
        with tmp.open("rb") as fh:
            os.fsync(fh.fileno())
        return link_fresh(tmp, dest)
    finally:
        tmp.unlink(missing_ok=True)


def before_migration(source: Path, target: str, now: datetime | None = None) -> Path:
    """Back up ``source`` as ``<name>.pre-<target>.<UTC time>.bak``; keep the newest KEEP."""
    stamp = (now or datetime.now(UTC)).strftime("%Y%m%dT%H%M%SZ")
    dest = backup(source, source.with_name(f"{source.name}.pre-{target}.{stamp}.bak"))
    old = sorted(source.parent.glob(f"{source.name}.pre-*.bak"), key=lambda p: p.stat().st_mtime)
    for stale in old[:-KEEP]:
        stale.unlink(missing_ok=True)
    logger.warning("store backed up to %s before migrating", dest)
    return dest
