"""Discovery-document bookkeeping: 304s and stored copies, validators, per-kind counts, errors,
and each document's poll outcome (per-source health)."""

from __future__ import annotations

import logging
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

from scrapy.http import Response

from crawler.pages.discovery import DocumentError, document_body
from crawler.spiders.moves import poll_moved_to
from crawler.spiders.schedules import SourceSchedules
from pipelines.storage import Store
from pipelines.storage.sources import SourceState

logger = logging.getLogger(__name__)

#: feeds and sitemaps are small; a bigger one (or one that inflates bigger) is hostile or broken
DISCOVERY_MAXSIZE = 5 * 1024 * 1024
#: documents that always list articles when they answer (a listing fragment past the end,
#: or a section's news sitemap, may be empty)
_MUST_LIST = ("feed", "sitemap", "newsmap_index")
#: request meta: the document's kind (feed, sitemap_index, ...) and the URL it is kept under
KIND = "mtwatch_source"
DOC = "mtwatch_doc"


class Documents:
    """What the store knows about each feed/sitemap, and what this run makes of them."""

    def __init__(self, store: Store, crawler: Any, site: str) -> None:
        self.store = store
        self.crawler = crawler
        #: the site whose feeds and sitemaps these are
        self.site = site
        self.known = store.discovery_sources(site=site)
        #: why discovery documents failed, for the run verdict
        self.errors: list[str] = []
        #: "<kind> <url>" of documents that answered 200 and listed nothing (monitors)
        self.empty: list[str] = []
        self._saved: dict[str, SourceState] = {}
        #: the documents whose poll this run recorded already
        self._polled: set[str] = set()
        #: the site's source schedules, fed with each scheduled document's poll (the spider
        #: sets them; None: nothing learned)
        self.schedules: SourceSchedules | None = None

    def _inc(self, kind: str, what: str, count: int = 1) -> None:
        self.crawler.stats.inc_value(f"mtwatch/sources/{kind}/{what}", count)

    def _poll(self, kind: str, url: str, status: str, error: str | None = None) -> None:
        """Record how the document answered (once per run: a later verdict on the same
        answer, a failure found in a 304's stored copy, replaces the first)."""
        if url == "?":  # a request that named no document
            return
        self.store.record_poll(url, site=self.site, kind=kind, status=status, error=error,
                               now=datetime.now(UTC), again=url in self._polled)
        self._polled.add(url)

    def address(self, url: str) -> str:
        """Where to ask for document ``url``: where its permanent redirect led, if it did."""
        known = self.known.get(url)
        return known.moved_to if known is not None and known.moved_to else url

    def _moved_to(self, response: Response) -> str | None:
        """Where the document lives after this poll's redirects (None: at its own address); a
        new move is logged and counted (``status`` shows it as a note on the document)."""
        kind, url = response.meta[KIND], response.meta[DOC]
        moved = poll_moved_to(url, response.url, response.meta)
        known = self.known.get(url)
        if moved is not None and (known is None or known.moved_to != moved):
            self._inc(kind, "moved")
            logger.warning("%s %s moved permanently to %s: later polls ask there (put that "
                           "address in the config)", kind, url, moved)
        return moved

    def forget_move(self, url: str) -> None:
        """The address document ``url`` moved to failed: the next poll asks its own again."""
        known = self.known.get(url)
        if known is not None and known.moved_to:
            self.known[url] = replace(known, moved_to=None)
            self.store.save_source(self.known[url], site=self.site)
            logger.warning("%s %s: the address it had moved to failed, asking its own next "
                           "time", known.kind, url)

    def validators(self, url: str, *, need_copy: bool) -> tuple[str | None, str | None] | None:
        """(ETag, Last-Modified) for a conditional GET; None when the copy is needed but gone."""
        known = self.known.get(url)
        if known is None or (need_copy and known.body is None):
            return None
        return known.etag, known.last_modified

    def body(self, response: Response) -> bytes | None:
        """The document's XML: the stored copy on a 304, inflated if gzip; None on damage."""
        kind, url = response.meta[KIND], response.meta[DOC]
        if response.status == 304:
            self._unchanged(response)
            known = self.known.get(url)
            return known.body.encode("utf-8") if known and known.body is not None else None
        try:
            return document_body(response.body, DISCOVERY_MAXSIZE)
        except DocumentError as exc:
            self.error(kind, url, f"fetch_failed:maxsize or damaged ({exc})")
            return None

    def _unchanged(self, response: Response) -> None:
        """A 304: its poll, its schedule and its last check, written in one transaction (an
        idle run is mostly these)."""
        kind, url = response.meta[KIND], response.meta[DOC]
        self._inc(kind, "ok")
        self._inc(kind, "unchanged")
        with self.store.together("source_unchanged"):
            self._poll(kind, url, "304")
            if self.schedules is not None:
                self.schedules.unchanged(url)
            known = self.known.get(url)
            if known is not None:
                lastmod = response.meta.get("mtwatch_lastmod") or known.lastmod
                self.store.source_checked(
                    replace(known, checked_at=datetime.now(UTC), lastmod=lastmod,
                            moved_to=self._moved_to(response)), site=self.site)
        logger.info("%s %s: unchanged (304)", kind, url)

    def save(self, response: Response, **fields: Any) -> None:
        """Remember the document's validators, once what it listed is safely in the store."""
        if response.status != 200:
            return
        now = datetime.now(UTC)
        etag, modified = response.headers.get(b"ETag"), response.headers.get(b"Last-Modified")
        state = SourceState(
            url=response.meta[DOC], kind=response.meta[KIND], checked_at=now, changed_at=now,
            etag=etag.decode("latin-1") if etag else None,
            last_modified=modified.decode("latin-1") if modified else None,
            moved_to=self._moved_to(response), **fields)
        self.store.save_source(state, site=self.site)
        self._saved[state.url] = state

    def ok(self, response: Response, links: int, *, must_list: bool = True) -> None:
        """A document read (``must_list``: one that lists nothing is noted as empty)."""
        kind = response.meta[KIND]
        if response.status == 200:
            self._inc(kind, "ok")
            self._poll(kind, response.meta[DOC], "200")
            if not links and must_list and kind in _MUST_LIST:
                self.listed_nothing(response)
        self._inc(kind, "links", links)
        logger.info("%s %s: %d links", kind, response.meta[DOC], links)

    def brought(self, response: Response, new_items: int, items: int) -> None:
        """A scheduled document read (200): how many items it listed, how many were new."""
        if self.schedules is not None and response.status == 200:
            self.schedules.brought(response.meta[DOC], new_items, items)

    def changed(self, response: Response, text: str) -> None:
        """A scheduled index read (200): new when its text differs from the copy kept."""
        known = self.known.get(response.meta[DOC])
        if known is not None and known.body == text:
            if self.schedules is not None and response.status == 200:
                self.schedules.unchanged(response.meta[DOC])
        else:
            self.brought(response, 1, 1)

    def unreachable(self, kind: str, url: str, reason: str) -> None:
        """A document not fetched because its host did not answer: one error for all of them
        in the run's verdict, each document's poll failed."""
        if reason not in self.errors:
            self.errors.append(reason)
        self._inc(kind, "failed")
        self._poll(kind, url, "error", reason)
        if self.schedules is not None:
            self.schedules.failed(url, reason)

    def listed_nothing(self, response: Response) -> None:
        """A 200 that listed no article: noted for the monitors, and asked again in full next
        time (a 304 would hide whether it still lists nothing)."""
        url = response.meta[DOC]
        self.empty.append(f"{response.meta[KIND]} {url}")
        self._inc(response.meta[KIND], "empty")
        saved = self._saved.get(url)
        if saved is not None and (saved.etag or saved.last_modified):
            self.store.save_source(replace(saved, etag=None, last_modified=None), site=self.site)

    def error(self, kind: str, url: str, reason: str, retry_after: float | None = None) -> None:
        """A document failed (``retry_after``: seconds the server asked us to wait)."""
        self.errors.append(f"{kind} {url}: {reason}")
        self._inc(kind, "failed")
        self._poll(kind, url, "error", reason)
        if self.schedules is not None:
            self.schedules.failed(url, reason, retry_after)
        logger.error("discovery failed: %s %s: %s", kind, url, reason)
