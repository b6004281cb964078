"""Bar row B3: regex/parser DoS in feed, sitemap and markup parsing. Each 1 MB hostile
document is parsed, and the valid items around the junk are still found.

The parsers (``crawler.pages.discovery`` and this project's own regex passes over markup,
used read-only here) run in a child process that is killed after a generous guard: a linear
parse of these documents takes well under a second of CPU, a quadratic one hours, so a
regression fails the test instead of stalling the suite, and a busy machine does not. The
child's CPU seconds are printed (the bar's figure is 2 s per document).
"""

from __future__ import annotations

import json
import select
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[1]
SITE = "https://www.themoscowtimes.com"
#: a don't-hang guard, never the measure: a linear parse needs a fraction of it on any machine
GUARD = 60.0
MB = 1_000_000

CHILD = """
import json, sys, time
from crawler.pages.discovery import feed_entries, sitemap_articles
from crawler.sites.moscowtimes.urls import SiteUrls
from pipelines.extraction.rawtext import measure, raw_text
site = SiteUrls(sys.argv[1])
print("ready", flush=True)
for line in sys.stdin:
    kind, path = line.split()
    body = open(path, "rb").read()
    started = time.process_time()
    if kind == "feed":
        found = [entry.ref.article_id for entry in feed_entries(body, site)]
    elif kind == "sitemap":
        found = [ref.article_id for ref in sitemap_articles(body, site)]
    else:
        text = body.decode()
        measure(text)
        found = raw_text(text)
    print(json.dumps({"found": found, "cpu": time.process_time() - started}), flush=True)
"""


class ParserChild:
    """A child process running the discovery parsers, restarted after it overruns."""

    def __init__(self, tmp: Path) -> None:
        self.tmp = tmp
        self.proc: subprocess.Popen[str] | None = None

    def _start(self) -> subprocess.Popen[str]:
        if self.proc is None:
            self.proc = subprocess.Popen(
                [sys.executable, "-c", CHILD, SITE], cwd=ROOT, text=True,
                stdin=subprocess.PIPE, stdout=subprocess.PIPE)
            assert self.proc.stdout is not None
            assert self.proc.stdout.readline().strip() == "ready"  # imports are not timed
        return self.proc

    def parse(self, kind: str, body: bytes) -> dict[str, Any] | None:
        """The parser's result and CPU time, or None when it overran the guard (then killed)."""
        path = self.tmp / f"document-{time.monotonic_ns()}.xml"
        path.write_bytes(body)
        proc = self._start()
        assert proc.stdin is not None
        assert proc.stdout is not None
        proc.stdin.write(f"{kind} {path}\n")
        proc.stdin.flush()
        ready, _, _ = select.select([proc.stdout], [], [], GUARD)
        if ready:
            result = dict(json.loads(proc.stdout.readline()))
            print(f"{kind}, {len(body):,} bytes: {result['cpu']:.2f} s CPU")
            return result
        self.close()
        return None

    def close(self) -> None:
        if self.proc is not None:
            self.proc.kill()
            self.proc.wait()
            self.proc = None


@pytest.fixture(scope="module")
def child(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ParserChild]:
    parser = ParserChild(tmp_path_factory.mktemp("feeds"))
    yield parser
    parser.close()


def item(n: int) -> str:
    return (f"<item><title>Story {n}</title><link>{SITE}/2024/01/0{1 + n % 9}/story-{n}-a"
            f"{80000 + n}</link><pubDate>Mon, 01 Jan 2024 10:00:00 +0300</pubDate></item>")


def url(n: int) -> str:
    return f"<url><loc>{SITE}/2024/01/0{1 + n % 9}/story-{n}-a{80000 + n}</loc></url>"


def feed(junk: str) -> bytes:
    return ('<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>x'
            f"</title>{item(0)}{item(1)}{item(2)}{junk}{item(3)}{item(4)}</channel></rss>"
            ).encode()


def sitemap(junk: str) -> bytes:
    return ('<?xml version="1.0" encoding="UTF-8"?><urlset xmlns="http://www.sitemaps.org/'
            f'schemas/sitemap/0.9">{url(0)}{url(1)}{url(2)}{junk}{url(3)}{url(4)}</urlset>'
            ).encode()


FEED_JUNK = {
    "link-space": "<link " * (MB // 6),
    "link-x": "<link>x" * (MB // 7),
    "unclosed-items": "<item>" * 50_000,
    "unclosed-items-with-text": "<item><title>t" * 50_000,
    "unclosed-cdata": "<item><link><![CDATA[" * (MB // 21),
    "lt": "<" * MB,
    "deep": "<channel>" * (MB // 9),
    "long-attributes": ("<link " + "a" * 3000) * (MB // 3006),
}
SITEMAP_JUNK = {
    "loc-space": "<loc " * (MB // 5),
    "loc-x": "<loc>x" * (MB // 6),
    "unclosed-urls": "<url>" * 50_000,
    "prefixed": "<news:" * (MB // 6),
    "amp": "&" * MB,
}


@pytest.mark.parametrize("case", list(FEED_JUNK))
def test_hostile_feed_parses_and_keeps_the_valid_items(case: str, child: ParserChild) -> None:
    """The valid items on both sides of the junk are found; the parse ends."""
    result = child.parse("feed", feed(FEED_JUNK[case]))
    assert result is not None, f"feed_entries ran past the {GUARD:.0f} s guard: not linear"
    assert {80000, 80001, 80002, 80003, 80004} <= set(result["found"])


@pytest.mark.parametrize("case", list(SITEMAP_JUNK))
def test_hostile_sitemap_parses_and_keeps_the_valid_items(case: str, child: ParserChild
                                                          ) -> None:
    result = child.parse("sitemap", sitemap(SITEMAP_JUNK[case]))
    assert result is not None, f"sitemap_articles ran past the {GUARD:.0f} s guard: not linear"
    assert {80000, 80001, 80002, 80003, 80004} <= set(result["found"])


LAUGHS = ('<!ENTITY a "aaaaaaaaaa">' + "".join(
    f'<!ENTITY {chr(99 + n)} "{("&" + chr(98 + n) + ";") * 10}">' for n in range(8))
    ).replace("&b;", "&a;")


def entity_attack(kind: str, canary: Path) -> bytes:
    """Bar row A3: an external entity on a canary file, a billion-laughs block and an external
    DTD on a port nothing listens on, around valid entries that use the entities."""
    root, body = ("rss", f"<channel>{item(0)}<item><title>&xxe;&j;</title><link>{SITE}/2024/"
                  f"01/02/x-a80001&xxe;</link></item>{item(2)}</channel>") if kind == "feed" else (
        "urlset", f"{url(0)}<url><loc>{SITE}/2024/01/02/x-a80001&j;</loc></url>{url(2)}")
    return (f'<?xml version="1.0"?><!DOCTYPE {root} SYSTEM "http://127.0.0.1:9/x.dtd" '
            f'[<!ENTITY xxe SYSTEM "file://{canary}">{LAUGHS}]><{root}>{body}</{root}>'
            ).encode()


@pytest.mark.parametrize("kind", ["feed", "sitemap"])
def test_a3_entity_attacks_are_handled(kind: str, child: ParserChild, tmp_path: Path
                                       ) -> None:
    """Nothing is fetched or expanded (a billion laughs expanded would overrun the guard),
    the canary is never read, and the valid entries are found."""
    canary = tmp_path / "canary.txt"
    canary.write_text("CANARY-A3-SECRET")
    result = child.parse(kind, entity_attack(kind, canary))
    assert result is not None, f"the entity attack ran past the {GUARD:.0f} s guard"
    assert {80000, 80002} <= set(result["found"])
    assert "CANARY" not in json.dumps(result)


@pytest.mark.parametrize("junk", [
    "<link " * (MB // 6), "<link>x" * (MB // 7), "<item>" * 50_000, "<" * MB,
    "<script " * (MB // 8), "<!--" * (MB // 4), "<figure>" * (MB // 8), "<a " * (MB // 3),
    "<p>" * (MB // 3), "</div>" * (MB // 6), "&#" * (MB // 2),
], ids=lambda junk: repr(junk[:7]))
def test_own_markup_passes_are_linear(junk: str, child: ParserChild) -> None:
    """raw_text and measure read every page; a hostile one does not stall them."""
    body = f"<div><p>Erdogan met Assad.</p>{junk}<p>Ankara and Damascus agreed.</p></div>"
    result = child.parse("markup", body.encode())
    assert result is not None, f"raw_text/measure ran past the {GUARD:.0f} s guard: not linear"
    assert "Erdogan met Assad." in result["found"]
