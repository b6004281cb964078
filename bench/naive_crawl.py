"""The naive reference for bench/crawl.py: what a hurried person would write in ten minutes.

    python bench/naive_crawl.py BASE_URL DB_PATH

urllib reads the sitemap index, every monthly sitemap and every article page listed, one
after the other; ``trafilatura.bare_extraction`` cleans each page; a regex looks for the
topic; each page goes into SQLite. No robots.txt, no conditional GET, no retries, no
politeness, no crash safety beyond SQLite's own: each of those is a cost mtwatch pays and
this script does not. Where the naive choice is also the cheap one it is taken (one
connection, one commit at the end, SQLite's default journal), so the reference is not
slowed down on purpose. Prints the pages stored.
"""

from __future__ import annotations

import re
import sqlite3
import sys
import urllib.request
from xml.etree import ElementTree

import trafilatura

_NS = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
_TOPIC = re.compile(r"\b(syria\w*|damascus|assad)\b.{0,400}?\b(turk\w*|ankara|erdogan)\b"
                    r"|\b(turk\w*|ankara|erdogan)\b.{0,400}?\b(syria\w*|damascus|assad)\b",
                    re.IGNORECASE | re.DOTALL)
_NORMALIZE = re.compile(r"\b(normali[sz]\w*|rapprochement|reconcil\w*|mend\w* ties|talks)\b",
                        re.IGNORECASE)


def locations(url: str) -> list[str]:
    with urllib.request.urlopen(url, timeout=30) as answer:
        tree = ElementTree.fromstring(answer.read())
    return [loc.text or "" for loc in tree.iter(f"{_NS}loc")]


def main(base: str, db_path: str) -> int:
    db = sqlite3.connect(db_path)
    db.execute("CREATE TABLE IF NOT EXISTS articles (url TEXT PRIMARY KEY, title TEXT, "
               "text TEXT, matched INTEGER)")
    stored = 0
    for sitemap in locations(f"{base}/sitemap/sitemap.xml"):
        for page_url in locations(sitemap):
            with urllib.request.urlopen(page_url, timeout=30) as answer:
                html = answer.read().decode("utf-8", "replace")
            doc = trafilatura.bare_extraction(html, url=page_url, with_metadata=True, as_dict=True)
            if not isinstance(doc, dict):  # None: nothing extracted
                continue
            body = doc.get("text") or ""
            matched = bool(_TOPIC.search(body) and _NORMALIZE.search(body))
            db.execute("INSERT OR REPLACE INTO articles VALUES (?, ?, ?, ?)",
                       (page_url, doc.get("title") or "", body, int(matched)))
            stored += 1
    db.commit()
    db.close()
    print(stored)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2]))
