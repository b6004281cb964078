"""The desk's Jinja2 environment (everything autoescaped) and its time formatting."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cache
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from jinja2 import Environment, FileSystemLoader, StrictUndefined

from crawler.web.text import clip

TEMPLATES = Path(__file__).with_name("templates")
STATIC = Path(__file__).with_name("static")


@dataclass(frozen=True)
class Times:
    """Instants as the pages show them: local time (the desk's zone) and UTC."""

    zone: ZoneInfo

    def local(self, when: datetime | None) -> str:
        if when is None:
            return "—"
        return when.astimezone(self.zone).strftime("%Y-%m-%d %H:%M %Z")

    def utc(self, when: datetime | None) -> str:
        return "—" if when is None else when.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC")

    def iso(self, when: datetime | None) -> str:
        return "" if when is None else when.astimezone(UTC).isoformat()


def _clip(value: Any, limit: int = 300) -> str:
    return clip(str(value or ""), limit)


@cache
def environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=True,  # every template: crawled text is hostile wherever it is shown
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["clip"] = _clip
    return env


def render(template: str, **context: Any) -> str:
    return environment().get_template(template).render(**context)


#: the pages' navigation: (page key, label)
NAV = (("matches", "Matches"), ("trends", "Trends"), ("health", "Health"))


def render_page(template: str, context: dict[str, Any], *, links: Any, times: Times,
                topics: dict[str, str], csrf: str = "") -> str:
    """A desk page: the page's own context plus what every page shows (navigation, feeds,
    times, a notice or an error line)."""
    values = {"notice": "", "error": "", "errors": [], **context, "links": links,
              "times": times, "nav": NAV, "csrf": csrf, "topics_enabled": topics}
    return render(template, **values)
