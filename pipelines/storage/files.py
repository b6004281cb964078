"""Private files: what mtwatch creates in its data directory is its own, and never a link.

The store holds the outbox (recipients, payloads) and error texts; logs quote receivers and
the site. So directories mtwatch creates are 0700 and files 0600, whatever the umask; files are
opened with ``O_NOFOLLOW``, so a symlink planted in a shared directory is refused instead of
followed, and whole files (backups, verdicts) are written under a fresh temporary name and
renamed or linked into place, never written through an existing name. A directory that
already exists keeps the modes its operator chose: :func:`exposure` says when they let other
users in, and callers warn.
"""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
from pathlib import Path

DIR_MODE = 0o700
FILE_MODE = 0o600
_NOFOLLOW = os.O_NOFOLLOW | os.O_CLOEXEC


def private_dir(path: Path) -> Path:
    """``path`` as a directory; the missing ones (parents too) are created 0700."""
    missing: list[Path] = []
    probe = path
    while not probe.is_dir() and probe != probe.parent:
        missing.append(probe)
        probe = probe.parent
    for directory in reversed(missing):
        try:
            directory.mkdir(mode=DIR_MODE)
        except FileExistsError:
            if not directory.is_dir():
                raise
    return path


def open_private(path: Path, flags: int) -> int:
    """``os.open`` that never follows a symlink at ``path``; a new file is 0600."""
    return os.open(path, flags | _NOFOLLOW, FILE_MODE)


def create_private(path: Path) -> None:
    """Create ``path`` as an empty 0600 file unless something already is there."""
    with contextlib.suppress(FileExistsError):
        os.close(open_private(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL))


def fresh_private(path: Path) -> None:
    """``path`` as a new, empty 0600 file: whatever was there (a file, a symlink) is removed
    first, so nothing written to it reaches another file."""
    private_dir(path.parent)
    path.unlink(missing_ok=True)
    os.close(open_private(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL))


def temp_beside(path: Path) -> Path:
    """A new empty 0600 file next to ``path`` (same filesystem), for rename or link."""
    fd, name = tempfile.mkstemp(dir=path.parent, prefix=f"{path.name}.", suffix=".tmp")
    os.close(fd)
    return Path(name)


def replace_private(path: Path, data: bytes) -> None:
    """Replace ``path`` with ``data`` atomically: a fresh 0600 file renamed over it."""
    tmp = temp_beside(path)
    try:
        with tmp.open("r+b") as fh:
            fh.write(data)
        tmp.replace(path)
    finally:
        tmp.unlink(missing_ok=True)


def link_fresh(tmp: Path, dest: Path) -> Path:
    """Give ``tmp`` the name ``dest``, or ``<dest>-2``, ``-3``… if that is taken: an existing
    file or symlink is never replaced. Returns the name used; ``tmp`` is left for the caller."""
    stem, suffix = dest.name, ""
    if "." in dest.name:
        stem, suffix = dest.name.rsplit(".", 1)
        suffix = "." + suffix
    for n in range(1, 100):
        name = dest if n == 1 else dest.with_name(f"{stem}-{n}{suffix}")
        try:
            os.link(tmp, name, follow_symlinks=False)
        except FileExistsError:
            continue
        return name
    raise FileExistsError(f"no free name for {dest}")


def exposure(path: Path) -> str | None:
    """How ``path`` lets other users in (``"mode 0755"``), or None if it is private or absent."""
    try:
        mode = stat.S_IMODE(path.stat().st_mode)
    except OSError:
        return None
    return f"mode {mode:04o}" if mode & 0o077 else None
