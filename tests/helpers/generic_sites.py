"""The three generic replica sites the end-to-end tests crawl beside The Moscow Times (a
WordPress-like blog, a large publisher, a Russian-language site), each on its own loopback
host: their names and ``[sites.<name>]`` keys, starting one, and the config naming them all."""

from __future__ import annotations

from pathlib import Path

from tests.helpers.launch import FAST_CONFIG, ReplicaProcess, launch_replica
from tests.replica.cms import SITE_KEYS

#: layout → (host, site name, its [sites.<name>] keys)
GENERIC_SITES = {
    "wordpress": ("127.0.0.3", "levant-notes", SITE_KEYS["wordpress"]),
    "publisher": ("127.0.0.4", "global-wire", SITE_KEYS["publisher"]),
    "russian": ("127.0.0.5", "vestnik", SITE_KEYS["russian"]),
}

def serve_generic(layout: str, tmp: Path) -> ReplicaProcess:
    """The generic replica of ``layout`` on its own host, its truth file in ``tmp``."""
    host = GENERIC_SITES[layout][0]
    return launch_replica(tmp / f"truth-{layout}.json",
                          ["tests.replica.cms", "--layout", layout, "--host", host], host=host)


def sites_config(workdir: Path, replicas: dict[str, ReplicaProcess]) -> Path:
    """A config file naming The Moscow Times replica and every generic one in ``replicas``
    (keyed by layout), each with one planted positive as its canary."""
    text = f'[sites.moscowtimes]\nurl = "{replicas["moscowtimes"].base_url}"\ncanaries = []\n'
    for layout, (_host, name, keys) in GENERIC_SITES.items():
        canary = replicas[layout].truth["positives"][0]  # checked as The Moscow Times' are
        text += (f'\n[sites.{name}]\nkind = "generic"\nurl = "{replicas[layout].base_url}"\n'
                 f'canaries = ["{canary}"]\n' + keys)
    path = workdir / "four-sites.toml"
    path.write_text(text + FAST_CONFIG + "fast_on_loopback = true\n", encoding="utf-8")
    return path
