"""Load mtwatch configuration: shipped defaults, a user TOML file, then MTWATCH_* environment."""

from __future__ import annotations

import os
import re
import tomllib
import warnings
from collections.abc import Mapping
from datetime import timedelta
from pathlib import Path
from typing import Annotated, Any, Literal
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

# pydantic looks for plugins (importlib.metadata.entry_points(): every installed distribution's
# metadata read) when it builds the first model: 30-40 ms of every mtwatch process, which has
# none. A PYDANTIC_DISABLE_PLUGINS set by the user is kept.
os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    SecretStr,
    ValidationError,
    ValidationInfo,
    field_validator,
    model_validator,
)

from crawler.config_origins import Origin, Origins, describe

#: the shipped defaults and topic rules: ``config/`` of the repository, installed with the
#: package as ``crawler/defaults`` (a link to it in the source tree)
SHIPPED_CONFIG_DIR = Path(__file__).resolve().parent / "defaults"


class ConfigError(ValueError):
    """A configuration problem, reported to the user as one line."""


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


#: the site a legacy ``[site]`` table, ``--site URL`` and MTWATCH_SITE=URL stand for
DEFAULT_SITE = "moscowtimes"
#: the Russian edition of The Moscow Times: the site legacy ``editions = ["en", "ru"]`` enables
RUSSIAN_SITE = "moscowtimes-ru"
_SITE_NAME = re.compile(r"[a-z0-9][a-z0-9-]{0,39}")


def _check_zone(value: str) -> str:
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(f"unknown timezone {value!r} (e.g. Europe/Moscow, UTC)") from None
    return value


#: an IANA time zone name ("Europe/Moscow"), checked against the system's zone database
TimeZoneName = Annotated[str, AfterValidator(_check_zone)]


#: the keys of ``[polling]`` that are durations (minutes), with the policy field each sets
_POLL_MINUTES = ("minimum", "default", "maximum", "step", "quiet_step", "quiet_after",
                 "tolerance", "max_backoff", "max_retry_after")


#: each ``[polling]`` duration that must not be less than another one
_POLL_ORDER = {"default": "minimum", "maximum": "default", "quiet_step": "step",
               "max_backoff": "maximum"}


class PollingOverrides(_Section):
    """A site's ``[sites.<name>.polling]``: any ``[polling]`` key, for that site only."""

    adaptive: bool | None = None
    minimum: float | None = Field(default=None, gt=0)
    default: float | None = Field(default=None, gt=0)
    maximum: float | None = Field(default=None, gt=0)
    step: float | None = Field(default=None, gt=0)
    quiet_step: float | None = Field(default=None, gt=0)
    quiet_after: float | None = Field(default=None, ge=0)
    busy_below: float | None = Field(default=None, gt=0, le=1)
    tolerance: float | None = Field(default=None, ge=0)
    max_backoff: float | None = Field(default=None, gt=0)
    max_retry_after: float | None = Field(default=None, ge=0)


class PollingConfig(_Section):
    """``[polling]``: how often each feed and sitemap is polled, learned per source
    (crawler.polling). Durations in minutes."""

    #: learn each source's interval and poll only the due ones; false: poll all every run
    adaptive: bool = True
    minimum: float = Field(default=5, gt=0)
    default: float = Field(default=30, gt=0)
    maximum: float = Field(default=24 * 60, gt=0)
    #: how much a quiet poll lengthens (a busy one shortens) the interval
    step: float = Field(default=5, gt=0)
    #: ... after ``quiet_after`` minutes without a new item
    quiet_step: float = Field(default=60, gt=0)
    quiet_after: float = Field(default=3 * 24 * 60, ge=0)
    #: a poll is busy when fewer than this share of its items were already seen
    busy_below: float = Field(default=0.5, gt=0, le=1)
    #: polls this much early or late neither lengthen nor shorten the interval
    tolerance: float = Field(default=5, ge=0)
    #: the longest wait after failures, and the longest Retry-After honoured
    max_backoff: float = Field(default=48 * 60, gt=0)
    max_retry_after: float = Field(default=24 * 60, ge=0)

    @field_validator("default", "maximum", "quiet_step", "max_backoff")
    @classmethod
    def _ordered(cls, value: float, info: ValidationInfo) -> float:
        low = _POLL_ORDER[str(info.field_name)]
        if low in info.data and value < info.data[low]:
            raise ValueError(f"must not be less than {low} ({info.data[low]:g} min), "
                             f"got {value:g} min")
        return value

    def merged(self, site: PollingOverrides | None) -> PollingConfig:
        """These values with a site's overrides (validated together)."""
        if site is None:
            return self
        return PollingConfig(**{**self.model_dump(), **site.model_dump(exclude_none=True)})

    def policy(self) -> Any:
        """The ``crawler.polling.PollingPolicy`` of these values (seconds)."""
        from crawler.polling import PollingPolicy

        return PollingPolicy(busy_below=self.busy_below,
                             **{key: getattr(self, key) * 60 for key in _POLL_MINUTES})


class SiteConfig(_Section):
    """One ``[sites.<name>]`` table: where a site is, what to read on it, how politely."""

    #: which rules read the site (crawler.sites): "moscowtimes" (its own layout), "generic"
    kind: Literal["moscowtimes", "generic"] = "moscowtimes"
    #: crawled by a plain ``mtwatch run``; ``--site NAME`` runs a disabled site too
    enabled: bool = True
    url: str
    feeds: list[str] = Field(default_factory=list)
    sitemap_index: str = "/sitemap/sitemap.xml"
    sitemap_months: int = Field(default=1, ge=0, le=24)
    #: the news sitemaps index; "" turns them off (read on backfills only)
    news_sitemap: str = "/sitemap/newsmap.xml"
    #: the listing walked on backfills (``/news`` then ``/news/<offset>``); "" turns it off
    listing: str = "/news"
    listing_depth: int = Field(default=20, ge=0, le=500)
    #: the site's own timezone (IANA): dates in its URLs and pages are in it
    timezone: TimeZoneName = "Europe/Moscow"
    #: politeness for this site's hosts; unset: ``[crawl]`` download_delay and
    #: concurrent_requests_per_domain
    download_delay: float | None = Field(default=None, ge=0)
    concurrency: int | None = Field(default=None, ge=1, le=16)
    #: known matching articles checked once a day (crawler.health.canaries): paths or URLs
    canaries: list[str] = Field(default_factory=list)
    # ---- kind = "generic" only (crawler.sites.generic) ----
    #: sitemaps read on every run: sitemap indexes, plain and Google news sitemaps
    sitemaps: list[str] = Field(default_factory=list)
    #: a regular expression an article's path (percent-decoded) matches; "": the heuristics
    article_url: str = ""
    #: CSS (or XPath, when it starts with "/" or "(") of the article's body zone; "": the
    #: generic extraction over the whole page
    body: str = ""
    #: ... of the headline and of the publication time (an element or attribute with an ISO
    #: date); "": JSON-LD, OpenGraph and the page's own metas
    headline: str = ""
    published: str = ""
    #: the articles' language when the page does not say (ISO 639-1, e.g. "ru"); "": "en"
    language: str = Field(default="", pattern=r"^([a-z]{2,3})?$")
    #: ``[sites.<name>.polling]``: this site's own ``[polling]`` values
    polling: PollingOverrides | None = None

    @field_validator("sitemap_index", "news_sitemap", "listing")
    @classmethod
    def _moscowtimes_only(cls, value: str, info: ValidationInfo) -> str:
        if info.data.get("kind") == "generic":
            raise ValueError("is not read for kind = 'generic' (list its sitemaps, news "
                             "sitemaps and sitemap indexes in sitemaps)")
        return value

    @field_validator("sitemaps", "article_url", "body", "headline", "published", "language")
    @classmethod
    def _generic_only(cls, value: Any, info: ValidationInfo) -> Any:
        if info.data.get("kind", "moscowtimes") != "generic":
            raise ValueError("is only read for kind = 'generic'")
        return value

    @field_validator("article_url")
    @classmethod
    def _pattern(cls, value: str) -> str:
        try:
            re.compile(value)
        except re.error as exc:
            raise ValueError(f"not a regular expression: {exc}") from None
        return value

    @field_validator("body", "headline", "published")
    @classmethod
    def _selector(cls, value: str) -> str:
        from crawler.sites.generic.selectors import check_selector

        return check_selector(value)

    @model_validator(mode="after")
    def _has_sources(self) -> SiteConfig:
        if self.kind == "generic" and not (self.feeds or self.sitemaps):
            raise ValueError("a generic site needs feeds or sitemaps (or both)")
        return self

    @field_validator("url")
    @classmethod
    def _http_url(cls, value: str) -> str:
        parts = urlsplit(value)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ValueError(f"must be an http(s) URL with a host, got {value!r}")
        return value.rstrip("/")

    @field_validator("canaries")
    @classmethod
    def _article_urls(cls, value: list[str], info: ValidationInfo) -> list[str]:
        generic = info.data.get("kind") == "generic"
        for entry in value:
            parts = urlsplit(entry)
            relative = not parts.scheme and entry.startswith("/")
            if not (relative or parts.scheme in ("http", "https")):
                raise ValueError(f"each canary must be an article path or URL, got {entry!r}")
            if not generic and not re.search(r"-a\d+/?$", parts.path):
                raise ValueError(f"each canary must be an article path or URL ending in "
                                 f"-a<ID> (e.g. /2023/05/10/<slug>-a81087), got {entry!r}")
        return value


class CrawlConfig(_Section):
    user_agent: str = Field(min_length=1)
    download_delay: float = Field(ge=0)
    concurrent_requests_per_domain: int = Field(ge=1, le=16)
    autothrottle: bool
    download_timeout: float = Field(gt=0)
    run_timeout: float = Field(gt=0)
    #: `mtwatch run`: after its timeout, Ctrl-C or SIGTERM, how long the crawl may take to close
    #: cleanly before it is killed (the daemon's crawls: ``daemon.stop_grace``)
    stop_grace: float = Field(default=20, gt=0)
    refresh: bool = False
    #: an article whose fetch failed this many times (over several runs) is given up
    max_article_failures: int = Field(default=10, ge=1, le=100)
    #: the longest Retry-After a run waits for; longer ones are honoured by a later run
    retry_after_max: float = Field(default=180, ge=0)
    #: how long a good robots.txt is reused without asking again (RFC 9309: at most 24 h)
    robots_cache_hours: float = Field(default=24, ge=0, le=24)
    #: crawl a loopback site (the offline replica) without delays; never another host
    fast_on_loopback: bool = False


#: store URL schemes mtwatch runs on (SQLAlchemy dialect+driver)
STORE_SCHEMES = ("sqlite", "postgresql+psycopg")


class StoreConfig(_Section):
    url: str = ""

    @field_validator("url")
    @classmethod
    def _supported(cls, value: str) -> str:
        if not value:
            return value
        scheme = value.partition("://")[0] if "://" in value else ""
        if scheme not in STORE_SCHEMES:
            # only the scheme is quoted: a value that is no URL at all may be a pasted secret
            shown = f"{scheme[:40]}://…" if scheme else "no scheme"
            raise ValueError("only sqlite:// and postgresql+psycopg:// URLs are supported "
                             f"(e.g. sqlite:////var/lib/mtwatch/mtwatch.db), got {shown}")
        if value.startswith("sqlite:///"):  # no host part: every such URL parses (and
            return value  # SQLAlchemy, needed to parse the others, is left unimported)
        from pipelines.storage.database import check_url

        check_url(value)  # a malformed URL is a config error, in one line, no password
        return value


class TopicsConfig(_Section):
    #: topic names (<user topics folder>/<name>.toml, else config/topics/<name>.toml) or paths
    #: to topic files
    enabled: list[str] = Field(min_length=1)

    @field_validator("enabled")
    @classmethod
    def _known(cls, value: list[str], info: ValidationInfo) -> list[str]:
        from pipelines.topic_files import topic_file

        user = (info.context or {}).get("user_topics_dir")
        for entry in value:
            topic_file(_topic_folders(user), entry)  # UnknownTopicError: a ValueError
        return value


CHANNELS = ("email", "webhook", "apprise")
_DURATION = re.compile(r"(\d+(?:\.\d+)?)\s*(d|days?|h|hours?|m|min|minutes?|s|seconds?)?")
_UNIT_SECONDS = {"d": 86400, "h": 3600, "m": 60, "s": 1}


def parse_duration(value: str) -> timedelta:
    """``2d``, ``36h``, ``90m``, ``45s`` (or words: ``2 days``); ``0`` alone is zero."""
    found = _DURATION.fullmatch(value.strip().lower())
    if found is None or (found.group(2) is None and float(found.group(1)) != 0):
        raise ValueError(f"expected a duration like 2d, 36h or 90m, got {value!r}")
    unit = (found.group(2) or "s")[0]
    return timedelta(seconds=float(found.group(1)) * _UNIT_SECONDS[unit])
Weekday = Literal["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]


class DeliveryConfig(_Section):
    """How one alert channel delivers: each alert at once, or a daily/weekly digest."""

    mode: Literal["immediate", "daily", "weekly"] = "immediate"
    #: when a digest goes out (HH:MM in alerts.timezone); weekly digests on digest_day
    digest_time: str = Field(default="08:00", pattern=r"^([01][0-9]|2[0-3]):[0-5][0-9]$")
    digest_day: Weekday = "monday"
    #: an empty period sends "no matches, all runs healthy" instead of nothing
    send_empty_digest: bool = False


class EmailConfig(DeliveryConfig):
    host: str = ""
    port: int = Field(default=587, ge=1, le=65535)
    security: Literal["starttls", "ssl", "none"] = "starttls"
    user: str = ""
    sender: str = ""
    recipients: list[str] = Field(default_factory=list)
    timeout: float = Field(default=30, gt=0)
    #: only from the environment (MTWATCH_SMTP_PASSWORD), never from a file
    password: SecretStr | None = Field(default=None, exclude=True)

    @property
    def configured(self) -> bool:
        return bool(self.host)


class WebhookConfig(DeliveryConfig):
    url: str = ""
    timeout: float = Field(default=15, gt=0, le=120)
    #: internal hosts/addresses/networks the URL may resolve to (default: public only)
    allow_internal: list[str] = Field(default_factory=list)
    #: a file holding the signing secret(s) (mode 0600); MTWATCH_WEBHOOK_SECRET_FILE
    secret_file: Path | None = None
    #: only from the environment (MTWATCH_WEBHOOK_SECRET), never from a file
    secret: SecretStr | None = Field(default=None, exclude=True)

    @property
    def configured(self) -> bool:
        return bool(self.url)


class AppriseConfig(DeliveryConfig):
    #: Apprise URLs (slack://…, tgram://…); they hold tokens, so they are shown redacted
    urls: list[SecretStr] = Field(default_factory=list)

    @property
    def configured(self) -> bool:
        return bool(self.urls)


def known_channels(value: list[str]) -> list[str]:
    for name in value:
        if name not in CHANNELS:
            raise ValueError(f"unknown alert channel {name!r}; use {', '.join(CHANNELS)}")
    return value


class AlertsConfig(_Section):
    #: names from CHANNELS; plain strings so callers can pass them on as list[str]
    channels: list[str] = Field(default_factory=list)
    #: where dead alerts and disabled endpoints are reported, first one not the failing channel
    operator: list[str] = Field(default_factory=list)
    #: timezone of digest_time
    timezone: TimeZoneName = "Europe/Moscow"
    #: transient failures are retried with backoff; the attempt after this many is the last
    max_attempts: int = Field(default=8, ge=1, le=20)
    #: matches of articles published more than this before the crawl go out as ONE backfill
    #: digest per channel ("2d", "36h"); "0" alerts every match on its own
    backfill_age: str = "2d"
    email: EmailConfig = EmailConfig()
    webhook: WebhookConfig = WebhookConfig()
    apprise: AppriseConfig = AppriseConfig()

    @field_validator("channels", "operator")
    @classmethod
    def _known_channels(cls, value: list[str]) -> list[str]:
        return known_channels(value)

    @field_validator("backfill_age", mode="before")
    @classmethod
    def _duration(cls, value: Any) -> str:
        text = str(value) if isinstance(value, int | float) and not isinstance(value, bool) \
            else value
        if not isinstance(text, str):
            raise ValueError(f"expected a duration like 2d or 36h, got {value!r}")
        parse_duration(text)
        return text

    @property
    def backfill_delta(self) -> timedelta | None:
        """backfill_age as a timedelta; None when backfill digests are off ("0")."""
        return parse_duration(self.backfill_age) or None


#: a watch's name (``[watches.<name>]``); it names the watch's own alert channels
#: ("email:<name>"), so it is short
_WATCH_NAME = re.compile(r"[a-z0-9][a-z0-9-]{0,23}")
#: each channel's own target key in a watch table
WATCH_TARGETS = {"email": "recipients", "webhook": "url", "apprise": "urls"}


class WatchConfig(_Section):
    """One ``[watches.<name>]`` table: which topics on which sites alert through which
    channels, to whom and how (pipelines.alerts.watches). Unset keys take the defaults.

    Sites, topics and the default channels are checked against the config's own (the
    validation context: see :func:`_validate`)."""

    #: topic ids or [topics] enabled entries (read as the ids); unset: every enabled topic
    topics: list[str] | None = Field(default=None, min_length=1)
    #: site names; unset: every site (every enabled one, and one ``--site NAME`` runs)
    sites: list[str] | None = Field(default=None, min_length=1)
    #: unset: [alerts] channels
    channels: list[str] | None = None
    #: instead of [alerts.email] recipients, [alerts.webhook] url, [alerts.apprise] urls
    recipients: list[str] = Field(default_factory=list)
    url: str = ""
    urls: list[SecretStr] = Field(default_factory=list)
    #: the delivery keys of the channel tables; unset: each channel's own
    mode: Literal["immediate", "daily", "weekly"] | None = None
    digest_time: str | None = Field(default=None, pattern=r"^([01][0-9]|2[0-3]):[0-5][0-9]$")
    digest_day: Weekday | None = None
    send_empty_digest: bool | None = None

    @field_validator("topics")
    @classmethod
    def _enabled_topics(cls, value: list[str] | None, info: ValidationInfo) -> list[str] | None:
        context = info.context or {}
        if value is None or "topics" not in context:
            return value
        ids = _topic_ids(context.get("user_topics_dir"), context["topics"])
        for topic in value:
            if topic not in ids:
                raise ValueError(f"{topic!r} is not an enabled topic (enabled: "
                                 f"{', '.join(sorted(set(ids.values())))}; [topics] enabled "
                                 "lists them)")
        return list(dict.fromkeys(ids[topic] for topic in value))

    @field_validator("sites")
    @classmethod
    def _configured_sites(cls, value: list[str] | None, info: ValidationInfo
                          ) -> list[str] | None:
        sites: list[str] = (info.context or {}).get("sites") or []
        for site in value if sites and value is not None else []:
            if site not in sites:
                raise ValueError(f"no site named {site!r} (configured: {', '.join(sites)})")
        return value

    @field_validator("channels")
    @classmethod
    def _known_channels(cls, value: list[str] | None) -> list[str] | None:
        return known_channels(value) if value is not None else None

    @model_validator(mode="after")
    def _targets(self, info: ValidationInfo) -> WatchConfig:
        """The channels (by default [alerts] channels), each target key for one of them."""
        chosen = self.channels
        if chosen is None:
            chosen = list((info.context or {}).get("alert_channels") or [])
        if not chosen:
            raise ValueError(f"no channel: set channels (some of {', '.join(CHANNELS)}), or "
                             "[alerts] channels, which watches take by default")
        for channel, target in WATCH_TARGETS.items():
            if getattr(self, target) and channel not in chosen:
                raise ValueError(f"{target} is for the {channel} channel, which the watch does "
                                 f"not use (channels: {', '.join(chosen)})")
        return self.model_copy(update={"channels": list(dict.fromkeys(chosen))})

    def delivery(self, channel: DeliveryConfig) -> DeliveryConfig:
        """The channel's delivery keys with this watch's over them."""
        keys = ("mode", "digest_time", "digest_day", "send_empty_digest")
        own = {key: getattr(self, key) for key in keys if getattr(self, key) is not None}
        return DeliveryConfig(**{**{key: getattr(channel, key) for key in keys}, **own})


def _topic_ids(user_topics_dir: Path | None, enabled: Any) -> dict[str, str]:
    """Every name an enabled topic goes by ([topics] enabled entry, topic id) → its id."""
    from pipelines.topic_files import read_header, topic_file

    ids: dict[str, str] = {}
    for entry in enabled if isinstance(enabled, list) else []:
        try:
            topic_id = read_header(topic_file(_topic_folders(user_topics_dir), str(entry))).id
        except ValueError:
            continue  # [topics] enabled says what is wrong with it
        ids[str(entry)] = ids[topic_id] = topic_id
    return ids


class ScheduleConfig(_Section):
    """When `mtwatch daemon` crawls: every ``interval`` seconds, or on a ``cron`` line."""

    interval: float = Field(default=900, ge=1)
    #: five crontab fields ("*/15 * * * *") in ``timezone``; set, it replaces ``interval``
    cron: str = ""
    timezone: TimeZoneName = "UTC"
    #: how late a slot may still start (after a suspend or a busy moment); 0 = half the interval
    misfire_grace: float = Field(default=0, ge=0)
    #: how often the daemon retries due alerts between crawls
    alert_retry_interval: float = Field(default=300, ge=1)

    @field_validator("cron")
    @classmethod
    def _crontab(cls, value: str) -> str:
        if value.strip():
            from apscheduler.triggers.cron import CronTrigger

            try:
                CronTrigger.from_crontab(value.strip())
            except ValueError as exc:
                raise ValueError(f"invalid crontab line {value!r}: {exc}") from None
            if any(ch.isdigit() for ch in value.split()[4]):
                # APScheduler 3 counts weekdays from Monday=0, cron from Sunday=0
                raise ValueError(f"crontab line {value!r}: write weekdays as names "
                                 "(mon-fri, sun), not numbers")
        return value.strip()


class DaemonConfig(_Section):
    """How `mtwatch daemon` runs: crawl timeout, stop grace, log, dead-man's switch, metrics."""

    #: kill a daemon crawl after this many seconds; 0 = crawl.run_timeout
    crawl_timeout: float = Field(default=0, ge=0)
    #: on SIGTERM, how long a crawl in progress may take to close before it is killed
    stop_grace: float = Field(default=20, gt=0, le=25)
    #: the daemon's log file; empty = stderr (journald under systemd)
    log_file: str = ""
    #: notify the operator once when no crawl succeeded for this many intervals; 0 = off
    deadman_intervals: int = Field(default=3, ge=0)
    #: Prometheus textfile (node_exporter textfile collector); empty = off
    metrics_textfile: str = ""
    #: Prometheus endpoint on 127.0.0.1:PORT; 0 = off
    metrics_port: int = Field(default=0, ge=0, le=65535)


class WebConfig(_Section):
    """The analyst's desk (`mtwatch serve`; started by the daemon when ``enabled``)."""

    enabled: bool = False
    #: an IP address or "localhost"; any non-loopback address needs MTWATCH_WEB_TOKEN
    host: str = "127.0.0.1"
    #: 0 = any free port (the log and `mtwatch serve` say which)
    port: int = Field(default=8080, ge=0, le=65535)
    #: the pages' "local" time column (UTC is always shown too)
    timezone: TimeZoneName = "Europe/Moscow"
    page_size: int = Field(default=50, ge=10, le=500)

    @field_validator("host")
    @classmethod
    def _address(cls, value: str) -> str:
        import ipaddress

        if value != "localhost":
            try:
                ipaddress.ip_address(value)
            except ValueError:
                raise ValueError(f"must be an IP address or 'localhost', got {value!r}") from None
        return value


class MonitorsConfig(_Section):
    """Coverage monitor thresholds (crawler.health.monitors); a share or ratio of 0 turns it off."""

    min_pages: int = Field(default=5, ge=1, le=10_000)
    zone_min_share: float = Field(default=0.5, ge=0, le=1)
    body_min_ratio: float = Field(default=0.5, ge=0, le=1)
    body_max_ratio: float = Field(default=3.0, ge=0)
    history_runs: int = Field(default=20, ge=1, le=1000)
    discovery_min_ratio: float = Field(default=0.25, ge=0, le=1)
    history_days: int = Field(default=14, ge=1, le=90)
    fetch_failed_max_share: float = Field(default=0.5, ge=0, le=1)
    #: 0 = every run
    canary_hours: float = Field(default=24, ge=0, le=24 * 30)

    @field_validator("body_max_ratio")
    @classmethod
    def _above_one(cls, value: float) -> float:
        if 0 < value <= 1:
            raise ValueError(f"must be 0 (off) or above 1, got {value}")
        return value


class ClusterConfig(_Section):
    """Several machines (``mtwatch worker``, ``mtwatch leader``): off unless ``redis_url`` is
    set. Redis carries only work in motion; the PostgreSQL store stays the record."""

    #: redis://[:password@]host:port/db (or rediss://, unix://); "" = one machine, no Redis
    redis_url: str = ""
    #: every Redis key of this cluster starts with it (several clusters may share a server)
    key_prefix: str = "mtwatch:"
    #: seconds a worker holds an article URL before another may fetch it
    lease_ttl: float = Field(default=300, ge=2, le=86400)
    #: seconds between a worker's heartbeats (its leases are extended on each)
    heartbeat: float = Field(default=30, gt=0, le=3600)
    #: seconds without a heartbeat before `mtwatch status` drops a worker
    worker_expiry: float = Field(default=90, gt=0, le=86400)

    @field_validator("redis_url")
    @classmethod
    def _redis(cls, value: str, info: ValidationInfo) -> str:
        if not value:
            return value
        from crawler.cluster.settings import REDIS_SCHEMES

        parts = urlsplit(value)
        if parts.scheme not in REDIS_SCHEMES:
            # only the scheme is quoted: the URL may hold a password
            shown = f"{parts.scheme[:40]}://…" if parts.scheme else "no scheme"
            raise ValueError("must be a redis://, rediss:// or unix:// URL "
                             f"(e.g. redis://10.0.0.5:6379/0), got {shown}")
        try:
            host, _port = parts.hostname, parts.port
        except ValueError:
            raise ValueError("has a port that is not a number") from None
        if parts.scheme != "unix" and not host:
            raise ValueError("has no host (e.g. redis://10.0.0.5:6379/0)")
        store = str((info.context or {}).get("store_url") or "")
        if not store.startswith("postgresql"):
            shown = "the default SQLite store" if not store else "an SQLite store"
            raise ValueError(
                f"is set, but the store is {shown}: the machines of a cluster share one "
                "PostgreSQL store (set store.url = \"postgresql+psycopg://…\" or "
                "MTWATCH_DB_URL), or leave cluster.redis_url empty to run on one machine")
        return value

    @field_validator("key_prefix")
    @classmethod
    def _prefix(cls, value: str) -> str:
        if not value or len(value) > 64 or any(
                c.isspace() or c in "%{}*?[]" or not c.isprintable() for c in value):
            raise ValueError(f"must be 1 to 64 characters without spaces, %, braces or glob "
                             f"characters (e.g. 'mtwatch:'), got {value[:70]!r}")
        return value

    @field_validator("heartbeat")
    @classmethod
    def _beats_within_lease(cls, value: float, info: ValidationInfo) -> float:
        ttl = info.data.get("lease_ttl")
        if ttl is not None and value * 2 > ttl:
            raise ValueError(f"must be at most half of cluster.lease_ttl ({ttl:g} s), so a "
                             f"live worker extends its leases before they run out; got "
                             f"{value:g}")
        return value

    @field_validator("worker_expiry")
    @classmethod
    def _expiry_after_beats(cls, value: float, info: ValidationInfo) -> float:
        beat = info.data.get("heartbeat")
        if beat is not None and value < beat * 2:
            raise ValueError(f"must be at least twice cluster.heartbeat ({beat:g} s), or a "
                             f"live worker is shown as gone; got {value:g}")
        return value

    @property
    def enabled(self) -> bool:
        return bool(self.redis_url)


class Config(_Section):
    #: ``[polling]`` (before the sites: their own polling keys are checked with it)
    polling: PollingConfig = PollingConfig()
    #: every ``[sites.<name>]`` table, by name
    sites: dict[str, SiteConfig]
    #: the one site this run crawls (``--site NAME|URL``); "" = every enabled site
    only_site: str = ""
    crawl: CrawlConfig
    store: StoreConfig
    #: the user's own topic rules ($XDG_CONFIG_HOME/mtwatch/topics), read before the shipped
    user_topics_dir: Path | None = None
    topics: TopicsConfig
    alerts: AlertsConfig
    #: ``[watches.<name>]``: none = the implicit watch (every topic, every site, [alerts])
    watches: dict[str, WatchConfig] = Field(default_factory=dict)
    schedule: ScheduleConfig = ScheduleConfig()
    daemon: DaemonConfig = DaemonConfig()
    web: WebConfig = WebConfig()
    monitors: MonitorsConfig = MonitorsConfig()
    #: several machines ([cluster] redis_url); off by default
    cluster: ClusterConfig = ClusterConfig()
    #: where the config was read from, for messages
    sources: tuple[str, ...] = ()
    data_dir: Path = Path()
    #: where each key set by a file, variable or option came from ("store.url": "--db")
    origins: dict[str, str] = Field(default_factory=dict, exclude=True)

    @field_validator("sites")
    @classmethod
    def _named_sites(cls, sites: dict[str, SiteConfig]) -> dict[str, SiteConfig]:
        if not sites:
            raise ValueError("at least one [sites.<name>] table is needed")
        for name in sites:
            if not _SITE_NAME.fullmatch(name):
                raise ValueError(f"site name {name!r}: use lowercase letters, digits and '-' "
                                 "(e.g. moscowtimes-ru)")
        return sites

    @field_validator("only_site")
    @classmethod
    def _known_site(cls, name: str, info: ValidationInfo) -> str:
        sites = info.data.get("sites") or {}
        if name and name not in sites:
            raise ValueError(f"no site named {name!r} (configured: {', '.join(sites)})")
        return name

    @field_validator("crawl")
    @classmethod
    def _lift_politeness(cls, crawl: CrawlConfig, info: ValidationInfo) -> CrawlConfig:
        """``crawl.fast_on_loopback`` when every site of the run is on this machine: the
        delays go (crawler.politeness); each site's own politeness is judged per site."""
        from crawler.politeness import LIFTED, is_loopback_url

        sites = info.data.get("sites") or {}
        only = info.data.get("only_site") or ""
        urls = [sites[only].url] if only in sites else [
            s.url for s in sites.values() if s.enabled]
        if crawl.fast_on_loopback and urls and all(map(is_loopback_url, urls)):
            return crawl.model_copy(update=LIFTED)
        return crawl

    @field_validator("sites")
    @classmethod
    def _site_polling(cls, sites: dict[str, SiteConfig], info: ValidationInfo
                      ) -> dict[str, SiteConfig]:
        """Each site's ``[sites.<name>.polling]`` keys, checked with ``[polling]`` under them."""
        polling = info.data.get("polling")
        for name, site in sites.items():
            if polling is None or site.polling is None:
                continue
            try:
                polling.merged(site.polling)
            except ValidationError as exc:
                err = exc.errors()[0]
                message = str(err["msg"]).removeprefix("Value error, ")
                raise ValueError(f"sites.{name}.polling.{err['loc'][0]} {message}") from None
        return sites

    @field_validator("watches")
    @classmethod
    def _watch_names(cls, watches: dict[str, WatchConfig]) -> dict[str, WatchConfig]:
        for name in watches:
            if not _WATCH_NAME.fullmatch(name):
                raise ValueError(f"watch name {name!r}: use up to 24 lowercase letters, digits "
                                 "and '-' (e.g. syria-desk)")
        return watches

    def polling_for(self, site: str) -> PollingConfig:
        """``[polling]`` with ``[sites.<site>.polling]`` over it."""
        return self.polling.merged(self.sites[site].polling)

    @property
    def running_sites(self) -> list[str]:
        """The sites this run crawls: ``--site NAME``, else every enabled one."""
        if self.only_site:
            return [self.only_site]
        return [name for name, site in self.sites.items() if site.enabled]

    @property
    def site(self) -> SiteConfig:
        """The run's main site: the one chosen, else The Moscow Times, else the first enabled."""
        if self.only_site:
            return self.sites[self.only_site]
        if DEFAULT_SITE in self.sites:
            return self.sites[DEFAULT_SITE]
        running = self.running_sites
        return self.sites[running[0] if running else next(iter(self.sites))]

    @property
    def politeness_lifted(self) -> bool:
        from crawler.politeness import is_loopback_url

        urls = [self.sites[name].url for name in self.running_sites] or [self.site.url]
        return self.crawl.fast_on_loopback and all(map(is_loopback_url, urls))

    def origin(self, key: str) -> str:
        """Where a setting came from, for an error about its value."""
        if key == "store.url" and not self.store.url:
            return f"the default store in the data directory ({self.data_dir})"
        return self.origins.get(key, f"{key} (default)")

    @property
    def store_url(self) -> str:
        return self.store.url or f"sqlite:///{self.data_dir / 'mtwatch.db'}"

    @property
    def topics_dir(self) -> tuple[Path, ...]:
        """The topics folders, searched in order: the user's (if any), then the shipped one."""
        return _topic_folders(self.user_topics_dir)


def _topic_folders(user: Path | None) -> tuple[Path, ...]:
    shipped = SHIPPED_CONFIG_DIR / "topics"
    return (user, shipped) if user is not None else (shipped,)


def default_user_topics_dir(env: Mapping[str, str]) -> Path:
    """$XDG_CONFIG_HOME/mtwatch/topics, else ~/.config/mtwatch/topics."""
    xdg = env.get("XDG_CONFIG_HOME")
    base = Path(xdg) if xdg else Path.home() / ".config"
    return base / "mtwatch" / "topics"


class EnvOverrides(BaseModel):
    """The MTWATCH_* environment variables; each overrides one config key. Validated from the
    variables :func:`_read_env` picks (a plain model: no settings library to import at every
    start-up, for the command and again for its crawl child)."""

    model_config = ConfigDict(extra="ignore")

    config: Path | None = None
    data_dir: Path | None = None
    site: str | None = None
    db_url: str | None = None
    smtp_host: str | None = None
    smtp_port: str | None = None
    smtp_user: str | None = None
    smtp_password: SecretStr | None = None
    smtp_security: str | None = None
    email_from: str | None = None
    email_to: str | None = None
    alert_channels: str | None = None
    webhook_url: str | None = None
    webhook_secret: SecretStr | None = None
    webhook_secret_file: Path | None = None
    apprise_urls: SecretStr | None = None
    fast_on_loopback: bool | None = None
    redis_url: str | None = None
    #: ``polling.adaptive``: false polls every feed and sitemap on every run
    adaptive_polling: bool | None = None

    def as_patch(self) -> dict[str, Any]:
        """The overrides as a nested patch of the config tree."""
        email: dict[str, Any] = {
            "host": self.smtp_host,
            "port": self.smtp_port,
            "user": self.smtp_user,
            "security": self.smtp_security,
            "sender": self.email_from,
            "recipients": _split_addresses(self.email_to),
        }
        patch: dict[str, Any] = {
            "site": {"url": self.site},  # a run's site selection: see _select_site
            "store": {"url": self.db_url},
            "crawl": {"fast_on_loopback": self.fast_on_loopback},
            "cluster": {"redis_url": self.redis_url},
            "polling": {"adaptive": self.adaptive_polling},
            "alerts": {"email": email, **self._alerts_patch()},
        }
        return _drop_none(patch)

    def _alerts_patch(self) -> dict[str, Any]:
        return {
            "channels": _split_addresses(self.alert_channels),
            "webhook": {"url": self.webhook_url, "secret_file": self.webhook_secret_file},
        }

    def alert_secrets(self) -> dict[str, Any]:
        """The secrets (never from a file): webhook signing secret(s), Apprise URLs."""
        apprise = self.apprise_urls.get_secret_value().replace(",", " ").split() \
            if self.apprise_urls is not None else None
        return _drop_none({"alerts": {"webhook": {"secret": self.webhook_secret},
                                      "apprise": {"urls": apprise}}})


def _split_addresses(value: str | None) -> list[str] | None:
    if value is None:
        return None
    return [part.strip() for part in value.split(",") if part.strip()]


def _drop_none(tree: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in tree.items():
        if isinstance(value, dict):
            value = _drop_none(value)
            if not value:
                continue
        if value is not None:
            out[key] = value
    return out


def merge(base: Mapping[str, Any], patch: Mapping[str, Any]) -> dict[str, Any]:
    """Deep-merge ``patch`` into ``base``: tables merge key by key, other values replace."""
    out = dict(base)
    for key, value in patch.items():
        if isinstance(value, Mapping) and isinstance(out.get(key), Mapping):
            out[key] = merge(out[key], value)
        else:
            out[key] = value
    return out


#: the folder of site files: the shipped catalogue (``config/sites/``, every site disabled), and
#: one beside the user's config file; each holds ``[sites.<name>]`` tables only, read in name
#: order before the user's file (which enables them: ``[sites.tass] enabled = true``)
SITES_FOLDER = "sites"


def site_files(folder: Path) -> list[Path]:
    """The ``*.toml`` files of a site folder, in name order (none if it does not exist)."""
    return sorted(folder.glob("*.toml")) if folder.is_dir() else []


def read_site_file(path: Path) -> dict[str, Any]:
    """One site file: ``[sites.<name>]`` tables and nothing else."""
    tree = read_toml(path)
    other = sorted(key for key in tree if key != "sites")
    if other:
        raise ConfigError(f"config error: {path} is a site file: it holds [sites.<name>] tables "
                          f"only, not {other[0]!r}")
    return tree


def read_toml(path: Path) -> dict[str, Any]:
    """Read one TOML file, turning every failure into a one-line ConfigError."""
    try:
        with path.open("rb") as fh:
            return tomllib.load(fh)
    except FileNotFoundError:
        raise ConfigError(f"config file not found: {path}") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"cannot read config file {path}: {exc}") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"invalid TOML in {path}: {exc}") from None


def default_data_dir(env: Mapping[str, str]) -> Path:
    """$XDG_DATA_HOME/mtwatch, else ~/.local/share/mtwatch."""
    xdg = env.get("XDG_DATA_HOME")
    base = Path(xdg) if xdg else Path.home() / ".local" / "share"
    return base / "mtwatch"


def load_config(
    path: Path | None = None,
    *,
    overrides: Mapping[str, Any] | None = None,
    env: Mapping[str, str] | None = None,
    override_labels: Mapping[str, str] | None = None,
) -> Config:
    """Defaults, then the user file (``path`` or MTWATCH_CONFIG), then env, then ``overrides``.

    ``override_labels`` name the options behind ``overrides`` in errors ({"store.url": "--db"}).
    """
    env = os.environ if env is None else env
    env_over = _read_env(env)
    shipped = SHIPPED_CONFIG_DIR / "mtwatch.toml"
    tree = read_toml(shipped)
    sources = [str(shipped)]
    origins = Origins()
    origins.add(tree, Origin("file", str(shipped)))
    user_file = path or env_over.config
    folders = [SHIPPED_CONFIG_DIR / SITES_FOLDER]
    if user_file is not None:
        folders.append(Path(user_file).parent / SITES_FOLDER)
    for site_file in (f for folder in folders for f in site_files(folder)):
        part = read_site_file(site_file)
        tree = merge(tree, part)
        sources.append(str(site_file))
        origins.add(part, Origin("file", str(site_file)))
    if user_file is not None:
        user_tree = read_toml(Path(user_file))
        _forbid_file_secrets(user_tree, user_file)
        user_tree = legacy_site_table(user_tree, str(user_file))
        _anchor_topic_paths(user_tree, Path(user_file).parent)
        tree = merge(tree, user_tree)
        sources.append(str(user_file))
        origins.add(user_tree, Origin("file", str(user_file)))
    options = _select_site(_drop_none(dict(overrides or {})))
    env_patch = _select_site(env_over.as_patch())
    env_tree = merge(env_patch, env_over.alert_secrets())
    if env_over.smtp_password is not None:
        env_tree = merge(env_tree, {"alerts": {"email": {"password": env_over.smtp_password}}})
    origins.add(env_tree, Origin("env"))
    labels = {tuple(k.split(".")): v for k, v in _site_labels(override_labels or {}).items()}
    origins.add(options, Origin("option", labels=labels))
    tree = merge(merge(tree, env_patch), options)
    if env_over.smtp_password is not None:
        tree = merge(tree, {"alerts": {"email": {"password": env_over.smtp_password}}})
    tree = merge(tree, env_over.alert_secrets())
    tree["sources"] = tuple(sources)
    tree["data_dir"] = env_over.data_dir or default_data_dir(env)
    tree["user_topics_dir"] = default_user_topics_dir(env)
    tree["origins"] = origins.labels()
    return _validate(tree, origins)


def legacy_site_table(tree: dict[str, Any], where: str) -> dict[str, Any]:
    """A file's old ``[site]`` table read as ``[sites.moscowtimes]`` (with one warning); its
    ``editions = ["en", "ru"]`` enables ``[sites.moscowtimes-ru]``."""
    legacy = tree.get("site")
    if not isinstance(legacy, dict):
        return tree
    table = dict(legacy)
    editions = table.pop("editions", ["en"])
    if not isinstance(editions, list) or not set(editions) <= {"en", "ru"} or not editions:
        raise ConfigError(f"site.editions in {where}: expected a list of \"en\" and \"ru\", "
                          f"got {editions!r}")
    sites: dict[str, Any] = {DEFAULT_SITE: table}
    advice = f"[sites.{DEFAULT_SITE}] (same keys)"
    if "ru" in editions:
        sites[RUSSIAN_SITE] = {"enabled": True}
        advice += f" and, for the Russian edition, [sites.{RUSSIAN_SITE}] enabled = true"
    warnings.warn(f"{where}: the [site] table is deprecated; write {advice} instead",
                  ConfigDeprecation, stacklevel=3)
    out = {k: v for k, v in tree.items() if k != "site"}
    return merge(out, {"sites": sites})


class ConfigDeprecation(FutureWarning):
    """A config key that still works but will not forever (shown to users by default)."""


def _select_site(patch: dict[str, Any]) -> dict[str, Any]:
    """``--site`` / MTWATCH_SITE: a site name runs that site only; a URL runs the default site
    (The Moscow Times layout) there, e.g. the offline replica."""
    chosen = patch.get("site", {}).get("url") if isinstance(patch.get("site"), dict) else None
    out = {k: v for k, v in patch.items() if k != "site"}
    if not isinstance(chosen, str) or not chosen:
        return out
    if any(mark in chosen for mark in "/:."):  # a URL (or a host): site names have none
        return merge(out, {"sites": {DEFAULT_SITE: {"url": chosen}}, "only_site": DEFAULT_SITE})
    return merge(out, {"only_site": chosen})


def _site_labels(labels: Mapping[str, str]) -> dict[str, str]:
    """An option labelled for ``site.url`` also names the keys ``--site`` now sets."""
    out = dict(labels)
    if "site.url" in labels:
        out.setdefault(f"sites.{DEFAULT_SITE}.url", labels["site.url"])
        out.setdefault("only_site", labels["site.url"])
    return out


#: secrets that a config file must not hold: (table, key, the variable to use instead)
_FILE_SECRETS = (("email", "password", "MTWATCH_SMTP_PASSWORD"),
                 ("webhook", "secret", "MTWATCH_WEBHOOK_SECRET or alerts.webhook.secret_file"))


def _forbid_file_secrets(user_tree: Mapping[str, Any], user_file: Path | str) -> None:
    alerts = user_tree.get("alerts")
    for table, key, instead in _FILE_SECRETS:
        section = alerts.get(table) if isinstance(alerts, dict) else None
        if isinstance(section, dict) and key in section:
            raise ConfigError(f"{user_file}: alerts.{table}.{key} is not allowed in a file; "
                              f"use {instead}")


def _anchor_topic_paths(user_tree: dict[str, Any], directory: Path) -> None:
    """A relative topic path in a config file ([topics] enabled, a watch's topics) is relative
    to that file, wherever mtwatch runs."""
    from pipelines.topic_files import is_path

    def anchored(entries: list[Any]) -> list[Any]:
        return [str(directory / entry) if isinstance(entry, str) and is_path(entry)
                and not Path(entry).expanduser().is_absolute() else entry for entry in entries]

    watches = user_tree.get("watches")
    lists = [(user_tree.get("topics"), "enabled"),
             *((watch, "topics") for watch in (watches.values() if isinstance(watches, dict)
                                               else []))]  # fmt: skip
    for table, key in lists:
        if isinstance(table, dict) and isinstance(entries := table.get(key), list):
            table[key] = anchored(entries)


def _read_env(env: Mapping[str, str]) -> EnvOverrides:
    wanted = {k: v for k, v in env.items() if k.startswith("MTWATCH_")}
    try:
        return EnvOverrides.model_validate(
            {k.removeprefix("MTWATCH_").lower(): v for k, v in wanted.items()}
        )
    except ValidationError as exc:
        raise ConfigError(f"environment: {_first_error(exc, prefix='MTWATCH_')}") from None


def _validate(tree: dict[str, Any], origins: Origins) -> Config:
    """The config; the context holds what one section's checks read of others (as given:
    each section's own errors come from its own checks)."""
    sites, topics, alerts = (tree.get(key) for key in ("sites", "topics", "alerts"))
    context = {
        "user_topics_dir": tree.get("user_topics_dir"),
        "store_url": (tree.get("store") or {}).get("url"),
        "sites": list(sites) if isinstance(sites, dict) else None,
        "topics": topics.get("enabled") if isinstance(topics, dict) else None,
        "alert_channels": alerts.get("channels") if isinstance(alerts, dict) else None,
    }
    try:
        return Config.model_validate(tree, context=context)
    except ValidationError as exc:
        raise ConfigError(f"config error: {describe(exc, origins, Config)}") from None


def _first_error(exc: ValidationError, prefix: str = "") -> str:
    err = exc.errors()[0]
    loc = ".".join(str(part) for part in err["loc"])
    extra = f" (and {exc.error_count() - 1} more)" if exc.error_count() > 1 else ""
    name = f"{prefix}{loc.upper()}" if prefix else loc
    return f"{name}: {err['msg']}{extra}"
