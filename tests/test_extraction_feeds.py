"""Bar row B3: regex/parser DoS in feed, sitemap and markup parsing. Each 1 MB hostile
document parses within 2 s, and the valid items around the junk are still found.

The discovery parsers (``crawler.pages.discovery``, used read-only here) run in a child
process that is killed after the budget, so a quadratic parser fails the test instead of
stalling the suite. This project's own regex passes over markup are checked in-process.
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

from pipelines.extraction.rawtext import measure, raw_text

ROOT = Path(__file__).resolve().parents[1]
SITE = "https://www.themoscowtimes.com"
BUDGET = 2.0
MB = 1_000_000

CHILD = """
import json, sys, time
from crawler.pages.discovery import feed_entries, sitemap_articles
from crawler.urls import SiteUrls
site = SiteUrls(sys.argv[1])
print("ready", flush=True)
for line in sys.stdin:
    kind, path = line.split()
    body = open(path, "rb").read()
    started = time.perf_counter()
    if kind == "feed":
        ids = [entry.ref.article_id for entry in feed_entries(body, site)]
    else:
        ids = [ref.article_id for ref in sitemap_articles(body, site)]
    print(json.dumps({"ids": ids, "seconds": time.perf_counter() - started}), flush=True)
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
        """The parser's result and time, or None when it overran the budget (then killed)."""
        path = self.tmp / f"document-{time.monotonic_ns()}.xml"
        path.write_bytes(body)
        proc = self._start()
        assert proc.stdin is not None
        assert proc.stdout is not None
        proc.stdin.write(f"{kind} {path}\n")
        proc.stdin.flush()
        ready, _, _ = select.select([proc.stdout], [], [], BUDGET + 1.0)
        if ready:
            return dict(json.loads(proc.stdout.readline()))
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
def test_hostile_feed_parses_within_budget(case: str, child: ParserChild) -> None:
    """The valid items on both sides of the junk are found, within the budget."""
    result = child.parse("feed", feed(FEED_JUNK[case]))
    assert result is not None, f"feed_entries did not finish within {BUDGET + 1:.0f} s"
    assert float(result["seconds"]) <= BUDGET
    assert {80000, 80001, 80002, 80003, 80004} <= set(result["ids"])


@pytest.mark.parametrize("case", list(SITEMAP_JUNK))
def test_hostile_sitemap_parses_within_budget(case: str, child: ParserChild) -> None:
    result = child.parse("sitemap", sitemap(SITEMAP_JUNK[case]))
    assert result is not None, f"sitemap_articles did not finish within {BUDGET + 1:.0f} s"
    assert float(result["seconds"]) <= BUDGET
    assert {80000, 80001, 80002, 80003, 80004} <= set(result["ids"])


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
def test_a3_entity_attacks_are_handled_within_a_second(kind: str, child: ParserChild,
                                                       tmp_path: Path) -> None:
    canary = tmp_path / "canary.txt"
    canary.write_text("CANARY-A3-SECRET")
    result = child.parse(kind, entity_attack(kind, canary))
    assert result is not None
    assert float(result["seconds"]) < 1.0
    assert {80000, 80002} <= set(result["ids"])
    assert "CANARY" not in json.dumps(result)


@pytest.mark.parametrize("junk", [
    "<link " * (MB // 6), "<link>x" * (MB // 7), "<item>" * 50_000, "<" * MB,
    "<script " * (MB // 8), "<!--" * (MB // 4), "<figure>" * (MB // 8), "<a " * (MB // 3),
    "<p>" * (MB // 3), "</div>" * (MB // 6), "&#" * (MB // 2),
], ids=lambda junk: repr(junk[:7]))
def test_own_markup_passes_are_linear(junk: str) -> None:
    """raw_text and measure read every page; a hostile one costs them no more than 2 s."""
    body = f"<div><p>Erdogan met Assad.</p>{junk}<p>Ankara and Damascus agreed.</p></div>"
    started = time.perf_counter()
    text = raw_text(body)
    measure(body)
    assert time.perf_counter() - started <= BUDGET
    assert "Erdogan met Assad." in text
