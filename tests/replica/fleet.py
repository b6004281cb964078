"""A loopback fleet of replica sites: many small news sites, each on its own loopback address
(127.0.1.1, 127.0.1.2, …), served by one process, with one clock that publishes the day's
stories across the fleet as it moves.

    with Fleet(sites=200) as fleet:
        fleet.config()                     # the [sites.<name>] tables of every site
        fleet.set_now(DAY_START + timedelta(hours=3))   # publish what is due by then
        fleet.publications                 # the day's stories: site, URL, time, positive
        fleet.requests()                   # every request answered so far, per site

The sites cycle through the CMS replicas of ``tests/replica/cms`` (a WordPress-like blog, a
large publisher, a Russian-language site: ``kind = "generic"``) and, every tenth, the replica of
The Moscow Times (``kind = "moscowtimes"``), each seeded by its number. Each shows a few older
articles (one of them a planted positive) and publishes one to three more during the simulated
day (``DAY_START`` to ``DAY_END``, the replica's last day): about half of the English sites
publish a planted positive among them, the others traps and ordinary news. Feeds and sitemaps
carry ETags (and The Moscow Times' Last-Modified) and answer conditional requests with 304.
Every other WordPress-like site is configured with ``/feed`` and ``/sitemap.xml``, which it
redirects permanently (301) to ``/feed/`` and ``/wp-sitemap.xml``.

One thread accepts the connections of every site; each connection is then answered on a thread
of its own by its site's server (``socketserver``'s ``ThreadingMixIn``), as each replica does
alone: 200 sites cost 200 listening sockets and one waiting thread, not 200 processes.
"""

from __future__ import annotations

import random
import selectors
import threading
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from types import TracebackType

from crawler.sites.generic.urls import normalise

from .catalog import build_articles
from .cms import SITE_KEYS, CmsServer
from .cms.model import Story, english_stories, russian_stories
from .excerpts import article_url
from .model import ANCHOR
from .server import AccessRecord, ReplicaHTTPServer
from .site import Site

#: the simulated day: the replica's last day, ending at its fixed clock
DAY_END = ANCHOR
DAY_START = ANCHOR - timedelta(days=1)
#: the first site's address; site N is at 127.0.1.N (up to 254 sites)
FIRST_ADDRESS = "127.0.1."
MAX_SITES = 254
#: every n-th site is a replica of The Moscow Times
MOSCOWTIMES_EVERY = 10
#: the CMS layouts the other sites cycle through
_CYCLE = ("wordpress", "publisher", "wordpress", "publisher", "russian")
#: (no /rss/opinion: a dozen articles often hold no opinion piece, and an empty feed is read
#: in full on every poll, which the real site's never is)
_MOSCOWTIMES_KEYS = 'kind = "moscowtimes"\nfeeds = ["/rss/news", "/rss/all"]\ncanaries = []\n'
#: every other WordPress-like site is configured with the addresses a user would type, which
#: the blog redirects permanently (to /feed/ and /wp-sitemap.xml)
_MOVED_KEYS = 'feeds = ["/feed"]\nsitemaps = ["/sitemap.xml"]\ntimezone = "UTC"\n'
#: the seeded stories a CMS site draws from, and The Moscow Times replica's article count
_POOL = 26
_MOSCOWTIMES_ARTICLES = 12


@dataclass(frozen=True)
class Publication:
    """One story the fleet publishes during the simulated day."""

    site: str
    url: str
    published: datetime
    positive: bool
    #: the key mtwatch stores it under: its ID on The Moscow Times' replica, its canonical
    #: URL (in mtwatch's one spelling) on a generic site
    key: str


@dataclass
class FleetSite:
    """One site of the fleet: its name, server, config table and the day's publications."""

    name: str
    layout: str
    server: CmsServer | ReplicaHTTPServer
    publications: list[Publication]
    set_now: Callable[[datetime], None]
    #: the keys of its table after ``kind`` and ``url`` (default: its layout's)
    keys: str = ""

    @property
    def base_url(self) -> str:
        return self.server.base_url

    def config(self) -> str:
        """Its ``[sites.<name>]`` table."""
        keys = (_MOSCOWTIMES_KEYS if self.layout == "moscowtimes"
                else 'kind = "generic"\n' + (self.keys or SITE_KEYS[self.layout]))
        return f'[sites.{self.name}]\nurl = "{self.base_url}"\n{keys}'

    def requests(self) -> list[AccessRecord]:
        return self.server.access_log.snapshot()


def site_name(number: int) -> str:
    return f"fleet-{number:03d}"


def is_document(record: AccessRecord) -> bool:
    """A request for a feed or a sitemap (the others: article pages, robots.txt, …)."""
    path = record.path.split("?", 1)[0]
    return (path.endswith(".xml") or path == "/feed"
            or path.startswith(("/feed/", "/feeds/", "/rss/")))


def is_conditional(record: AccessRecord) -> bool:
    """A conditional GET: it named the copy it has (ETag or date)."""
    return any(name.lower() in ("if-none-match", "if-modified-since") for name in record.headers)


def _day_times(rng: random.Random, count: int) -> list[datetime]:
    """``count`` publication times in the simulated day, to the minute, oldest first."""
    minutes = sorted(rng.sample(range(1, 24 * 60), count))
    return [DAY_START + timedelta(minutes=m) for m in minutes]


def _english_plan(stories: list[Story], rng: random.Random, count: int
                  ) -> tuple[list[Story], list[Story]]:
    """(older stories shown from the start, stories published during the day)."""
    positives = [s for s in stories if s.positive]
    traps = [s for s in stories if not s.positive and s.kind != "filler"]
    fillers = [s for s in stories if s.kind == "filler"]
    shown = [positives[0], traps[0], *fillers[:2]]
    others = traps[1:] + fillers[2:]
    day = positives[1:2] if rng.random() < 0.5 else []
    day += rng.sample(others, count - len(day))
    rng.shuffle(day)
    return shown, day


def _cms_site(number: int, layout: str, rng: random.Random) -> FleetSite:
    name = site_name(number)
    count = rng.randint(1, 3)
    if layout == "russian":
        stories = russian_stories()
        positive = next(s for s in stories if s.positive)
        negatives = [s for s in stories if not s.positive]
        shown, day = [positive, negatives[0]], negatives[1:1 + min(count, 2)]
    else:
        shown, day = _english_plan(english_stories(seed=number, count=_POOL), rng, count)
    dated = [replace(s, published=t) for s, t in zip(day, _day_times(rng, len(day)), strict=True)]
    stories = sorted(shown + dated, key=lambda s: s.published, reverse=True)
    server = CmsServer((f"{FIRST_ADDRESS}{number}", 0), layout, stories, DAY_START)
    path = server.site.layout.path
    publications = [Publication(name, server.base_url + path(s), s.published, s.positive,
                                normalise(server.base_url + path(s))) for s in dated]
    keys = _MOVED_KEYS if layout == "wordpress" and number % 2 else ""
    return FleetSite(name, layout, server, publications, server.site.set_now, keys)


def _moscowtimes_site(number: int, rng: random.Random) -> FleetSite:
    """The Moscow Times replica whose newest articles are dated into the simulated day, and
    the one before them into the day before (so that its current month lists an article, as
    the real site's always does)."""
    name = site_name(number)
    articles = build_articles(_MOSCOWTIMES_ARTICLES, number)
    fillers = sorted((a for a in articles if not a.ghost and a.kind == "filler"),
                     key=lambda a: a.published)
    count = rng.randint(1, 3)
    day = fillers[-count:]
    fillers[-count - 1].published = fillers[-count - 1].modified = DAY_START - timedelta(hours=5)
    for article, when in zip(day, _day_times(rng, count), strict=True):
        article.published = article.modified = when
    site = Site(articles, number, now=DAY_END)
    server = ReplicaHTTPServer(site, f"{FIRST_ADDRESS}{number}")
    publications = [Publication(name, article_url(server.base_url, a), a.published, a.positive,
                                str(a.id)) for a in day]

    def set_now(now: datetime) -> None:
        site.set_now(now)
        server.invalidate()

    set_now(DAY_START)
    return FleetSite(name, "moscowtimes", server, publications, set_now)


def build_fleet(sites: int, seed: int = 1) -> list[FleetSite]:
    """``sites`` replica sites, listening on 127.0.1.1 … 127.0.1.N, each on a free port (not
    yet serving)."""
    if not 1 <= sites <= MAX_SITES:
        raise ValueError(f"a fleet has 1 to {MAX_SITES} sites, got {sites}")
    fleet: list[FleetSite] = []
    for number in range(1, sites + 1):
        rng = random.Random(seed * 100_003 + number)
        if number % MOSCOWTIMES_EVERY == 0:
            fleet.append(_moscowtimes_site(number, rng))
        else:
            fleet.append(_cms_site(number, _CYCLE[(number - 1) % len(_CYCLE)], rng))
    return fleet


class Fleet:
    """The fleet, serving from a background thread; the clock starts at ``DAY_START``."""

    def __init__(self, sites: int, seed: int = 1) -> None:
        self.sites = build_fleet(sites, seed)
        self.now = DAY_START
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    @property
    def publications(self) -> list[Publication]:
        """The day's stories across the fleet, oldest first."""
        return sorted((p for s in self.sites for p in s.publications),
                      key=lambda p: (p.published, p.url))

    def set_now(self, now: datetime) -> list[Publication]:
        """Move every site's clock to ``now``; the stories that appeared."""
        appeared = [p for p in self.publications if self.now < p.published <= now]
        for site in self.sites:
            site.set_now(now)
        self.now = now
        return appeared

    def config(self) -> str:
        """Every site's ``[sites.<name>]`` table."""
        return "\n".join(site.config() for site in self.sites)

    def requests(self) -> dict[str, list[AccessRecord]]:
        """Every request answered so far, by site name."""
        return {site.name: site.requests() for site in self.sites}

    def _serve(self) -> None:
        with selectors.DefaultSelector() as selector:
            for site in self.sites:
                selector.register(site.server, selectors.EVENT_READ, site.server)
            while not self._stop.is_set():
                for key, _ in selector.select(timeout=0.2):
                    key.data.handle_request()  # accepts, then answers on a thread of its own

    def start(self) -> Fleet:
        if self._thread is None:
            self._thread = threading.Thread(target=self._serve, name="replica-fleet",
                                            daemon=True)
            self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None
        for site in self.sites:
            site.server.server_close()

    def __enter__(self) -> Fleet:
        return self.start()

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.stop()
