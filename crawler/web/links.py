"""Where the pages link to: the live desk's routes, or the static report's files."""

from __future__ import annotations

from collections.abc import Mapping
from urllib.parse import quote, urlencode


class Links:
    """The live desk's URLs (absolute paths on the server)."""

    #: the static report has no server: no filter forms, label buttons or retries
    live = True

    def __init__(self, root: str = "/") -> None:
        self.root = root

    def matches(self, params: Mapping[str, str] | None = None) -> str:
        query = urlencode({k: v for k, v in (params or {}).items() if v})
        return f"{self.root}matches" + (f"?{query}" if query else "")

    def article(self, article_id: int) -> str:
        return f"{self.root}articles/{article_id}"

    def label(self, article_id: int) -> str:
        return f"{self.root}articles/{article_id}/label"

    def retry(self, alert_id: int) -> str:
        return f"{self.root}alerts/{alert_id}/retry"

    def trends(self, params: Mapping[str, str] | None = None) -> str:
        query = urlencode({k: v for k, v in (params or {}).items() if v})
        return f"{self.root}trends" + (f"?{query}" if query else "")

    def chart(self, name: str, params: Mapping[str, str] | None = None) -> str:
        query = urlencode({k: v for k, v in (params or {}).items() if v})
        return f"{self.root}charts/{quote(name)}.svg" + (f"?{query}" if query else "")

    def health(self) -> str:
        return f"{self.root}health"

    def feed(self, topic: str) -> str:
        return f"{self.root}feeds/{quote(topic, safe='')}.atom"

    def site_feed(self, site: str) -> str:
        return f"{self.root}feeds/site/{quote(site, safe='')}.atom"

    def static(self, name: str) -> str:
        return f"{self.root}static/{quote(name)}"


class StaticLinks(Links):
    """The static report's relative file names, from a page ``depth`` folders down."""

    live = False

    def __init__(self, depth: int = 0) -> None:
        super().__init__("../" * depth)

    def matches(self, params: Mapping[str, str] | None = None) -> str:
        page = (params or {}).get("page", "")
        return f"{self.root}index.html" if not page or page == "1" else \
            f"{self.root}matches-{quote(page)}.html"

    def article(self, article_id: int) -> str:
        return f"{self.root}articles/{article_id}.html"

    def trends(self, params: Mapping[str, str] | None = None) -> str:
        return f"{self.root}trends.html"

    def chart(self, name: str, params: Mapping[str, str] | None = None) -> str:
        return f"{self.root}charts/{quote(name)}.svg"

    def health(self) -> str:
        return f"{self.root}health.html"
