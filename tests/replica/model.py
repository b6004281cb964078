"""Data model of the replica: articles, blocks, sections, the fixed clock and ID/date helpers."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from itertools import pairwise

MSK = timezone(timedelta(hours=3))
START = datetime(2023, 1, 1, 0, 0, tzinfo=MSK)
# The replica's "now": never the wall clock, so the site is the same on every run.
ANCHOR = datetime(2026, 6, 23, 12, 0, tzinfo=MSK)

# (date, id) points from the spec §5 used to map a publication date to a plausible ID.
_ID_POINTS: tuple[tuple[datetime, int], ...] = tuple(
    (datetime(y, m, d, tzinfo=MSK), i)
    for (y, m, d, i) in (
        (2023, 1, 1, 79990),
        (2023, 1, 26, 80051),
        (2023, 3, 24, 80611),
        (2023, 5, 10, 81087),
        (2023, 9, 21, 82533),
        (2024, 1, 1, 83600),
        (2024, 1, 23, 83817),
        (2024, 5, 12, 85097),
        (2024, 10, 15, 86690),
        (2025, 1, 1, 87500),
        (2025, 1, 20, 87665),
        (2025, 8, 6, 90117),
        (2025, 12, 19, 91492),
        (2026, 1, 1, 91600),
        (2026, 6, 22, 93072),
        (2026, 6, 30, 93140),
    )
)
MIN_ID = 80001


@dataclass(frozen=True)
class SectionInfo:
    """How a section is labelled, listed and flagged (`news`: in /rss/news and /news)."""

    key: str
    label: str
    path: str
    news: bool
    rss_slug: str


SECTIONS: dict[str, SectionInfo] = {
    s.key: s
    for s in (
        SectionInfo("news", "News", "news", True, "News"),
        SectionInfo("analysis", "News Analysis", "news", True, "News"),
        SectionInfo("ukraine_war", "Ukraine War", "ukraine-war", False, "Ukraine War"),
        SectionInfo("business", "Business", "business", False, "Business"),
        SectionInfo("climate", "Climate", "climate", False, "Climate"),
        SectionInfo("diaspora", "The New Diaspora", "diaspora", False, "The New Diaspora"),
        SectionInfo("opinion", "Opinion", "opinion", False, "Opinion"),
        SectionInfo("city", "Arts & Life", "arts-and-life", False, "Arts & Life"),
    )
}


@dataclass(frozen=True)
class Author:
    name: str
    slug: str
    photo: bool = False
    description: str = ""
    twitter: str = ""


@dataclass
class Block:
    """One body block; `type` is html | article | image | header | quote."""

    type: str
    body: str = ""
    ref: int | None = None
    caption: str = ""
    credits: str = ""
    by: str = ""


@dataclass
class Article:
    id: int
    title: str
    slug: str
    published: datetime
    modified: datetime
    section: str = "news"
    kind: str = "filler"
    positive: bool = False
    subtitle: str = ""
    intro: str = ""
    excerpt: str = ""
    authors: tuple[Author, ...] = ()
    tags: tuple[str, ...] = ()
    caption: str = ""
    credits: str = ""
    has_image: bool = True
    blocks: list[Block] = field(default_factory=list)
    type: str = "default"
    video: str = ""
    ghost: bool = False
    created: datetime | None = None

    @property
    def info(self) -> SectionInfo:
        return SECTIONS[self.section]

    @property
    def opinion(self) -> bool:
        return self.section == "opinion"

    @property
    def news_flag(self) -> bool:
        return self.info.news

    @property
    def quirk_section(self) -> str:
        """`fetch::section()` returns after the first flag: always news or ukraine_war."""
        return "ukraine_war" if self.section == "ukraine_war" else "news"

    @property
    def path(self) -> str:
        return f"/{self.published:%Y/%m/%d}/{self.slug}-a{self.id}"

    @property
    def updated_shown(self) -> bool:
        return self.modified > self.published + timedelta(minutes=10)

    def paragraphs(self) -> list[str]:
        """Plain text of the body paragraphs (html blocks only)."""
        out: list[str] = []
        for b in self.blocks:
            if b.type == "html":
                out.extend(strip_tags(p) for p in html_paragraphs(b.body))
        return out


def html_paragraphs(body: str) -> list[str]:
    """Inner HTML of each `<p>` of an html block."""
    return re.findall(r"<p>(.*?)</p>", body, re.S)


def join_paragraphs(inner: list[str]) -> str:
    """An html block body as the CMS editor stores it: one `<p>` per line."""
    return "\n".join(f"<p>{p}</p>" for p in inner)


def strip_tags(s: str) -> str:
    text = re.sub(r"<[^>]+>", "", s)
    return text.replace("&amp;", "&").replace("&lt;", "<").replace("&gt;", ">")


#: the Russian edition's slugs are transliterated ("vlasti-zadumali-ogranichit-naem-…")
_CYRILLIC = dict(zip("абвгдеёжзийклмнопрстуфхцчшщъыьэюя", [
    "a", "b", "v", "g", "d", "e", "e", "zh", "z", "i", "i", "k", "l", "m", "n", "o", "p", "r",
    "s", "t", "u", "f", "h", "ts", "ch", "sh", "sch", "", "i", "", "e", "yu", "ya"], strict=True))


def slugify(title: str) -> str:
    """Slug rules seen on the site: lowercase ASCII (Cyrillic transliterated), apostrophes and
    dots dropped."""
    s = "".join(_CYRILLIC.get(ch, ch) for ch in title.lower())
    s = s.replace("–", " ").replace("—", " ")
    s = unicodedata.normalize("NFKD", s).encode("ascii", "ignore").decode("ascii")
    s = s.lower().replace("'", "").replace(".", "").replace("$", "")
    s = re.sub(r"[^a-z0-9]+", "-", s)
    return s.strip("-")


def base_id(when: datetime) -> float:
    """Interpolated article ID for a publication time (spec §5, roughly linear)."""
    pts = _ID_POINTS
    if when <= pts[0][0]:
        return float(pts[0][1])
    for (d0, i0), (d1, i1) in pairwise(pts):
        if when <= d1:
            frac = (when - d0) / (d1 - d0)
            return i0 + frac * (i1 - i0)
    return float(pts[-1][1])


def md5_hex(value: object) -> str:
    return hashlib.md5(str(value).encode(), usedforsecurity=False).hexdigest()


# Locale-independent English names (strftime would follow the process locale).
_SITE_MONTHS = (
    "Jan.", "Feb.", "March", "April", "May", "June", "July", "Aug.", "Sep.", "Oct.", "Nov.", "Dec.",
)
_RFC_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_RFC_DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


def date_text(when: datetime) -> str:
    """The site's `M. j, Y` with March–July written out: `Jan. 5, 2024`, `May 10, 2023`."""
    return f"{_SITE_MONTHS[when.month - 1]} {when.day}, {when.year}"


def date_c(when: datetime) -> str:
    """PHP date('c'): 2023-05-10T14:25:00+03:00."""
    return when.isoformat(timespec="seconds")


def date_r(when: datetime) -> str:
    """PHP date('r'): Wed, 10 May 2023 14:25:00 +0300."""
    day, month = _RFC_DAYS[when.weekday()], _RFC_MONTHS[when.month - 1]
    return f"{day}, {when.day:02d} {month} {when.year} {when:%H:%M:%S %z}"


def php_text(s: str) -> str:
    """PHP htmlspecialchars with ENT_QUOTES, as used by view::text / view::attr."""
    return (
        s.replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace('"', "&quot;")
        .replace("'", "&#039;")
    )


def truncate(s: str, limit: int) -> str:
    """Word-boundary truncation with an ellipsis, like the site's `fetch::truncate`."""
    s = " ".join(s.split())
    if len(s) <= limit:
        return s
    cut = s[:limit]
    if " " in cut:
        cut = cut[: cut.rindex(" ")]
    return cut.rstrip(",;:") + "..."
