"""A run's pre-flight check of the enabled topics, without recompiling what compiled before.

``mtwatch run`` must refuse a bad topic file before it crawls, and compiling every topic's
rules to find out (importing the rules engine, building its automata) was a tenth of an idle
poll's CPU in the parent process. The topics that compiled cleanly are remembered in the data
directory (``cache/topics-compiled.json``) by the SHA-256 of their file and a fingerprint of the
rules engine (mtwatch's version and the size and modification time of each of its modules):
while neither changed, the topic is known to compile; any change compiles it again, and a
file that does not compile is never remembered, so it fails every run until it is fixed.
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from crawler import __version__

#: the modules whose code decides whether a topic file compiles
_ENGINE_PACKAGES = ("pipelines.matcher", "pipelines.topic_files")
CACHE_NAME = "topics-compiled.json"


def engine_fingerprint() -> str:
    """mtwatch's version and every rules-engine module's size and mtime (no import)."""
    parts = [__version__]
    for name in _ENGINE_PACKAGES:
        spec = importlib.util.find_spec(name)
        if spec is None:
            continue
        folders = list(spec.submodule_search_locations or [])
        files = [Path(folder) / entry.name for folder in folders
                 for entry in os.scandir(folder) if entry.name.endswith(".py")]
        if not folders:
            files = [Path(spec.origin or "")]
        for path in sorted(files):
            stat = path.stat()
            parts.append(f"{path.name}:{stat.st_size}:{stat.st_mtime_ns}")
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()


def _digest(path: Path) -> str | None:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return None  # compiling it says what is wrong


def _load(cache: Path, fingerprint: str) -> set[str]:
    try:
        data: Any = json.loads(cache.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return set()
    if not isinstance(data, dict) or data.get("engine") != fingerprint:
        return set()
    known = data.get("topics")
    return {k for k in known if isinstance(k, str)} if isinstance(known, list) else set()


def _save(cache: Path, fingerprint: str, digests: set[str | None]) -> None:
    from pipelines.storage.files import private_dir, replace_private

    try:
        private_dir(cache.parent)
        replace_private(cache, json.dumps({"engine": fingerprint,
                                           "topics": sorted(d for d in digests if d)}).encode())
    except OSError:
        pass  # a cache that cannot be written only means compiling again next time


def check_topics(topics_dir: Any, enabled: Sequence[str], cache_dir: Path) -> None:
    """Compile every enabled topic that has not compiled before (raises TopicConfigError or
    ConfigError, as compiling does); remember the ones that compiled."""
    from pipelines.topic_files import topic_file

    paths = [Path(topic_file(topics_dir, entry)) for entry in enabled]
    fingerprint = engine_fingerprint()
    cache = cache_dir / CACHE_NAME
    known = _load(cache, fingerprint)
    digests = {path: _digest(path) for path in paths}
    unknown = [path for path in paths if digests[path] is None or digests[path] not in known]
    if not unknown:
        return
    from pipelines.wiring import load_matchers

    load_matchers(topics_dir, [str(path) for path in unknown])
    _save(cache, fingerprint, {*known, *(digests[path] for path in unknown)})
