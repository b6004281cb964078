"""The one place that builds, from the config, what the crawl, the daemon, the command line
and the desk all use: the watches (where new matches alert), the alert channels (notifiers,
one per route: ``pipelines.alerts.watches``), their delivery plan and retry policy, and the
enabled topics' matchers."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from crawler.config import WATCH_TARGETS, Config, ConfigError, DeliveryConfig, WatchConfig
from pipelines.alerts.base import Notifier, UnusableChannel
from pipelines.alerts.netguard import Resolver, system_resolver
from pipelines.alerts.watches import Watch, Watches, split_route
from pipelines.storage.routes import IMPLICIT_WATCH

# the channels, the relay and the store are imported where a channel is built or alerts are
# delivered: checking the settings (`mtwatch run`'s pre-flight) needs none of them
if TYPE_CHECKING:
    from pipelines.alerts.relay import DeliveryPlan, DeliveryReport, RetryPolicy
    from pipelines.matcher import Matcher
    from pipelines.storage import Store

#: what to change when a channel's settings cannot work at all
SETTINGS_FIX = {
    "email": "fix the e-mail settings (MTWATCH_SMTP_*, MTWATCH_EMAIL_*); "
             "`mtwatch check-config` checks them",
    "webhook": "fix MTWATCH_WEBHOOK_URL and its secret (or [alerts.webhook]); "
               "`mtwatch check-config` checks them",
    "apprise": "fix MTWATCH_APPRISE_URLS (or alerts.apprise.urls); "
               "`mtwatch check-config` checks them",
}


@dataclass(frozen=True)
class ChannelRoute:
    """A route alerts go through: a channel (``[alerts.<channel>]``), for a watch with its own
    target and delivery keys over the channel's (``pipelines.alerts.watches``)."""

    name: str
    channel: str
    watch: str = IMPLICIT_WATCH
    settings: WatchConfig | None = None

    def delivery(self, config: Config) -> DeliveryConfig:
        section: DeliveryConfig = getattr(config.alerts, self.channel)
        return self.settings.delivery(section) if self.settings else section


def watches(config: Config) -> Watches:
    """Where new matches alert: the ``[watches.*]``, else the implicit watch (every topic on
    every site to the ``[alerts]`` channels, as before watches)."""
    if not config.watches:
        return Watches.implicit(config.alerts.channels)
    return Watches(Watch(name, tuple(w.channels or ()),
                         frozenset(w.topics) if w.topics is not None else None,
                         frozenset(w.sites) if w.sites is not None else None)
                   for name, w in config.watches.items())  # fmt: skip


def alert_routes(config: Config) -> list[ChannelRoute]:
    """The routes new alerts go through, each once."""
    return [ChannelRoute(r.channel, split_route(r.channel)[0], r.watch,
                         config.watches.get(r.watch)) for r in watches(config).every_route]


def delivery_routes(config: Config) -> dict[str, ChannelRoute]:
    """Every route the relay delivers: the ``[alerts]`` channels (also the rows queued before
    watches were configured), the operator channels, and every watch's own."""
    plain = [ChannelRoute(name, name) for name in [*config.alerts.channels,
                                                   *config.alerts.operator]]
    return {r.name: r for r in [*plain, *alert_routes(config)]}


def _email(config: Config, route: ChannelRoute) -> Notifier:
    from pipelines.alerts.mail import EmailNotifier
    from pipelines.alerts.settings import SmtpSettings

    email = config.alerts.email
    recipients = (route.settings.recipients if route.settings else []) or email.recipients
    return EmailNotifier(SmtpSettings(
        host=email.host, port=email.port, sender=email.sender,
        recipients=tuple(recipients), user=email.user or None,
        password=email.password.get_secret_value() if email.password else None,
        security=email.security, timeout=email.timeout,
    ), zones=site_zones(config))  # fmt: skip


def site_zones(config: Config) -> dict[str, str]:
    """Each configured site's time zone: the one its alerts show times in."""
    return {name: site.timezone for name, site in config.sites.items()}


def _webhook_url(config: Config, route: ChannelRoute) -> str:
    return _own_webhook_url(route) or config.alerts.webhook.url


def _own_webhook_url(route: ChannelRoute) -> str:
    """A watch's own ``url``, or "" when the route uses ``[alerts.webhook]``'s."""
    return route.settings.url if route.settings and route.settings.url else ""


def _webhook(config: Config, route: ChannelRoute, resolver: Resolver) -> Notifier:
    from pipelines.alerts.signing import load_secrets
    from pipelines.alerts.webhook import WebhookNotifier, WebhookSettings

    hook = config.alerts.webhook
    secret = hook.secret.get_secret_value() if hook.secret else None
    settings = WebhookSettings(
        url=_webhook_url(config, route), secrets=load_secrets(secret, hook.secret_file),
        timeout=hook.timeout, allow_internal=tuple(hook.allow_internal), route=route.name,
        url_key=config.origin(f"watches.{route.watch}.url" if _own_webhook_url(route)
                              else "alerts.webhook.url"),
    )  # fmt: skip
    notifier = WebhookNotifier(settings, resolver=resolver)
    notifier.check()  # an internal address is a config error now, not a dead alert later
    return notifier


def _apprise_urls(config: Config, route: ChannelRoute) -> list[str]:
    urls = (route.settings.urls if route.settings else []) or config.alerts.apprise.urls
    return [url.get_secret_value() for url in urls]


def _apprise(config: Config, route: ChannelRoute) -> Notifier:
    from pipelines.alerts.chat import AppriseNotifier

    return AppriseNotifier(_apprise_urls(config, route), zones=site_zones(config))


def build_notifiers(config: Config, *, resolver: Resolver | None = None,
                    strict: bool = True) -> dict[str, Notifier]:  # fmt: skip
    """The configured routes' channels (one per route: ``[alerts]`` channels, operator
    channels, each watch's own); a route without settings is skipped (rows stay queued).

    Settings that cannot work are a ConfigError when ``strict`` (check-config, `alerts test`);
    otherwise (a crawl, the daemon) the channel is an UnusableChannel: it is held with the fix
    and the crawl goes on."""
    notifiers: dict[str, Notifier] = {}
    for name, route in delivery_routes(config).items():
        if not _configured(config, route):
            continue
        try:
            notifiers[name] = _build(config, route, resolver or system_resolver)
        except ValueError as exc:
            if strict:
                raise ConfigError(f"{name} alerts: {exc}") from None
            notifiers[name] = UnusableChannel(name, str(exc), _fix(route))
    return notifiers


def _build(config: Config, route: ChannelRoute, resolver: Resolver) -> Notifier:
    if route.channel == "email":
        return _email(config, route)
    if route.channel == "webhook":
        return _webhook(config, route, resolver)
    return _apprise(config, route)


def _fix(route: ChannelRoute) -> str:
    fix = SETTINGS_FIX[route.channel]
    if route.settings is None:
        return fix
    return f"{fix}; or [watches.{route.watch}] {WATCH_TARGETS[route.channel]}"


def unusable_channels(notifiers: Mapping[str, Notifier]) -> list[UnusableChannel]:
    return [n for n in notifiers.values() if isinstance(n, UnusableChannel)]


def _configured(config: Config, route: ChannelRoute) -> bool:
    if route.channel == "webhook":
        return bool(_webhook_url(config, route))
    if route.channel == "apprise":
        return bool(_apprise_urls(config, route))
    return bool(config.alerts.email.configured)


def unconfigured_channels(config: Config) -> list[str]:
    """Routes that queue new alerts but cannot send them yet."""
    return [r.name for r in alert_routes(config) if not _configured(config, r)]


def delivery_plan(config: Config, *, backfill: bool = False) -> DeliveryPlan:
    """Digest schedules of the routes not in immediate mode, and the operator channels;
    ``backfill``: roll the alerts waiting for a backfill digest into one (end of a crawl)."""
    from pipelines.alerts.digest import DigestSchedule
    from pipelines.alerts.relay import DeliveryPlan

    digests: dict[str, DigestSchedule] = {}
    routes = [ChannelRoute(name, name) for name in config.alerts.channels]
    for route in {r.name: r for r in [*routes, *alert_routes(config)]}.values():
        keys = route.delivery(config)
        if keys.mode != "immediate":
            digests[route.name] = DigestSchedule.from_settings(
                keys.mode, keys.digest_time, config.alerts.timezone, keys.digest_day,
                keys.send_empty_digest)  # fmt: skip
    age = config.alerts.backfill_delta if backfill else None
    return DeliveryPlan(digests=digests, operator=tuple(config.alerts.operator),
                        backfill_age=age or None)  # fmt: skip


def retry_policy(config: Config) -> RetryPolicy:
    from pipelines.alerts.relay import RetryPolicy

    return RetryPolicy(max_attempts=config.alerts.max_attempts)


def deliver_configured(
    config: Config,
    store: Store,
    *,
    now: datetime,
    notifiers: Mapping[str, Notifier] | None = None,
    end_of_crawl: bool = False,
) -> DeliveryReport:
    """One relay pass as configured (digests, operator notices, retries): for the end of a
    crawl (which also sends its backfill digest), the daemon's retry job and the CLI."""
    from pipelines.alerts.relay import deliver_due

    return deliver_due(
        store, build_notifiers(config) if notifiers is None else notifiers,
        now=now, policy=retry_policy(config), plan=delivery_plan(config, backfill=end_of_crawl),
    )  # fmt: skip


def load_matchers(topics_dir: Any, enabled: list[str]) -> list[Matcher]:
    """One compiled matcher per enabled topic: a name (``<topics_dir>/<name>.toml``) or a
    path to a topic file."""
    from pipelines.matcher import Matcher, load_topic
    from pipelines.topic_files import topic_file

    return [Matcher(load_topic(topic_file(topics_dir, entry))) for entry in enabled]
