"""An article page read in an extraction worker (a backfill's pool): the page object and the
extraction, both off the crawl's own process, with the results the crawl would have had.

The crawl sends a ``PageJob``: the site's rules (its kind and URL, all a page object needs) and the
page's URL as a line of JSON, then the page's HTML as it is (65 KB of markup escaped into a JSON
string cost the crawl 0.6 ms a page, and reading it back the worker 0.35 ms: five times this
framing); a UTF-8 page as the bytes it came in (``response_html``), never decoded nor encoded.
The worker (``pipelines.extraction.worker``, job kind ``r``) runs ``read_page``: the same page
object the crawl runs in-process, then the same ``extract_article`` the pool runs for a body, and
answers with a ``PageRead``: whether the page is a soft 404, its ``ArticleFields`` (the body's
HTML left behind: only extraction reads it, and it was read there) and the extracted text and
status. Sites whose page object needs more than kind and URL (``generic``) are read in-process, as
before.
"""

from __future__ import annotations

import codecs
import json
from dataclasses import asdict, dataclass, field, fields, replace
from datetime import datetime
from typing import TYPE_CHECKING, Any

from crawler.items import ArticleFields
from pipelines.extraction.article import ArticleBody

if TYPE_CHECKING:
    from scrapy.http import TextResponse

#: the site kinds whose page object a worker can rebuild from the site's URL alone
OFFLOADED_KINDS = frozenset({"moscowtimes"})
_TIMES = frozenset({"published", "modified"})


@dataclass(frozen=True)
class PageRead:
    """What reading an article page gave: a soft 404, no article (``fields`` None), or the
    article's fields and its extracted text."""

    soft_404: bool = False
    fields: ArticleFields | None = None
    text: str = ""
    status: str = ""

    def to_json(self) -> str:
        found = None
        if self.fields is not None:
            found = {f.name: getattr(self.fields, f.name) for f in fields(self.fields)}
            # the body's HTML stays behind: it was extracted where it was read
            found["body"] = asdict(replace(self.fields.body, zone_html="", page_html=""))
            for name in _TIMES:
                found[name] = found[name].isoformat() if found[name] is not None else None
        return json.dumps({"soft_404": self.soft_404, "fields": found, "text": self.text,
                           "status": self.status}, ensure_ascii=False)

    @classmethod
    def from_json(cls, payload: str) -> PageRead:
        data = json.loads(payload)
        found = data["fields"]
        if found is not None:
            for name in _TIMES:
                found[name] = datetime.fromisoformat(found[name]) if found[name] else None
            found = ArticleFields(**{**found, "body": ArticleBody(**found["body"])})
        return cls(bool(data["soft_404"]), found, str(data["text"]), str(data["status"]))


@dataclass(frozen=True)
class PageJob:
    """One article page for a worker to read: the site's kind and URL (all its page object
    needs), the page's URL and HTML. Made a payload by the pool's thread, when a worker
    takes it: a job waiting in the queue holds no second copy of the page."""

    kind: str
    site: str
    url: str
    #: the page's text, or its UTF-8 bytes (``response_html``)
    html: str | bytes = field(repr=False)

    def to_payload(self) -> bytes:
        """A line of JSON (kind, site and URL; JSON escapes every line break), then the HTML,
        in UTF-8 as the worker receives it (a page that came as UTF-8 is sent as it came)."""
        head = json.dumps([self.kind, self.site, self.url], ensure_ascii=False) + "\n"
        html = (self.html if isinstance(self.html, bytes)
                else self.html.encode("utf-8", "surrogatepass"))
        return head.encode("utf-8") + html

    @classmethod
    def from_payload(cls, payload: bytes) -> PageJob:
        """The job of a payload as the worker receives it, the page's HTML left as its UTF-8
        bytes: the page object reads those as they are."""
        head, _, html = payload.partition(b"\n")
        kind, site, url = json.loads(head)
        return cls(str(kind), str(site), str(url), html)


def response_html(response: TextResponse) -> str | bytes:
    """A page's HTML for a ``PageJob``: its body as it came when that is UTF-8 (declared or
    inferred, every byte valid, no byte-order mark): then exactly the bytes its text would
    encode to, and the text (65 KB) is never made; else its text."""
    body = response.body
    if response.encoding == "utf-8" and not body.startswith(codecs.BOM_UTF8):
        try:
            body.decode("utf-8")  # strictly: a bad byte would be U+FFFD in the text
        except UnicodeDecodeError:
            return response.text
        return body
    return response.text


def page_job(kind: str, site_url: str, url: str, html: str | bytes) -> PageJob | None:
    """The job for a worker to read this page, or None where the site's kind is read
    in-process only."""
    if kind not in OFFLOADED_KINDS:
        return None
    return PageJob(kind, site_url, url, html)


def read_page(payload: bytes) -> str:
    """In the worker: the ``PageRead`` of a ``PageJob``'s payload, as JSON."""
    from pipelines.extraction.body import extract_article
    from pipelines.extraction.pool import inside_thresholds

    job = PageJob.from_payload(payload)
    page = _page_object(job.kind, job.site, job.url, job.html)
    if page.is_soft_404:
        return PageRead(soft_404=True).to_json()
    found = page.fields()
    if found is None:
        return PageRead().to_json()
    extraction = extract_article(found.body, thresholds=inside_thresholds())
    return PageRead(False, found, extraction.text, extraction.status).to_json()


def _page_object(kind: str, site_url: str, url: str, html: str | bytes) -> Any:
    if kind == "moscowtimes":
        from crawler.sites.moscowtimes.article import ArticlePage
        from crawler.sites.moscowtimes.urls import SiteUrls

        return ArticlePage(url, html, SiteUrls(site_url))
    raise ValueError(f"no page object for site kind {kind!r} in a worker")
