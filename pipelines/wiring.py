"""The one place that builds, from the config, what the crawl, the daemon, the command line
and the desk all use: the alert channels (notifiers), their delivery plan and retry policy,
and the enabled topics' matchers."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import TYPE_CHECKING, Any

from crawler.config import Config, ConfigError
from pipelines.alerts import (
    DeliveryPlan,
    DeliveryReport,
    DigestSchedule,
    EmailNotifier,
    Notifier,
    RetryPolicy,
    SmtpSettings,
    WebhookNotifier,
    WebhookSettings,
    deliver_due,
)
from pipelines.alerts.base import UnusableChannel
from pipelines.alerts.netguard import Resolver, system_resolver
from pipelines.alerts.signing import load_secrets
from pipelines.storage import Store

if TYPE_CHECKING:
    from pipelines.matcher import Matcher

#: what to change when a channel's settings cannot work at all
SETTINGS_FIX = {
    "email": "fix the e-mail settings (MTWATCH_SMTP_*, MTWATCH_EMAIL_*); "
             "`mtwatch check-config` checks them",
    "webhook": "fix MTWATCH_WEBHOOK_URL and its secret (or [alerts.webhook]); "
               "`mtwatch check-config` checks them",
    "apprise": "fix MTWATCH_APPRISE_URLS (or alerts.apprise.urls); "
               "`mtwatch check-config` checks them",
}


def _email(config: Config) -> Notifier:
    email = config.alerts.email
    return EmailNotifier(SmtpSettings(
        host=email.host, port=email.port, sender=email.sender,
        recipients=tuple(email.recipients), user=email.user or None,
        password=email.password.get_secret_value() if email.password else None,
        security=email.security, timeout=email.timeout,
    ), zones=site_zones(config))  # fmt: skip


def site_zones(config: Config) -> dict[str, str]:
    """Each configured site's time zone: the one its alerts show times in."""
    return {name: site.timezone for name, site in config.sites.items()}


def _webhook(config: Config, resolver: Resolver) -> Notifier:
    hook = config.alerts.webhook
    secret = hook.secret.get_secret_value() if hook.secret else None
    settings = WebhookSettings(
        url=hook.url, secrets=load_secrets(secret, hook.secret_file), timeout=hook.timeout,
        allow_internal=tuple(hook.allow_internal),
    )  # fmt: skip
    notifier = WebhookNotifier(settings, resolver=resolver)
    notifier.check()  # an internal address is a config error now, not a dead alert later
    return notifier


def _apprise(config: Config) -> Notifier:
    from pipelines.alerts.chat import AppriseNotifier

    return AppriseNotifier([url.get_secret_value() for url in config.alerts.apprise.urls],
                           zones=site_zones(config))


def build_notifiers(config: Config, *, resolver: Resolver | None = None,
                    strict: bool = True) -> dict[str, Notifier]:  # fmt: skip
    """The configured channels; a listed channel without settings is skipped (rows stay queued).

    Settings that cannot work are a ConfigError when ``strict`` (check-config, `alerts test`);
    otherwise (a crawl, the daemon) the channel is an UnusableChannel: it is held with the fix
    and the crawl goes on."""
    notifiers: dict[str, Notifier] = {}
    wanted = dict.fromkeys([*config.alerts.channels, *config.alerts.operator])
    for name in wanted:
        if not _configured(config, name):
            continue
        try:
            notifiers[name] = _build(config, name, resolver or system_resolver)
        except ValueError as exc:
            if strict:
                raise ConfigError(f"{name} alerts: {exc}") from None
            notifiers[name] = UnusableChannel(name, str(exc), SETTINGS_FIX[name])
    return notifiers


def _build(config: Config, name: str, resolver: Resolver) -> Notifier:
    if name == "email":
        return _email(config)
    if name == "webhook":
        return _webhook(config, resolver)
    return _apprise(config)


def unusable_channels(notifiers: Mapping[str, Notifier]) -> list[UnusableChannel]:
    return [n for n in notifiers.values() if isinstance(n, UnusableChannel)]


def _configured(config: Config, name: str) -> bool:
    section = getattr(config.alerts, name)
    return bool(section.configured)


def unconfigured_channels(config: Config) -> list[str]:
    """Channels that queue alerts but cannot send them yet."""
    return [name for name in config.alerts.channels if not _configured(config, name)]


def delivery_plan(config: Config, *, backfill: bool = False) -> DeliveryPlan:
    """Digest schedules of the channels not in immediate mode, and the operator channels;
    ``backfill``: roll the alerts waiting for a backfill digest into one (end of a crawl)."""
    digests: dict[str, DigestSchedule] = {}
    for name in config.alerts.channels:
        section = getattr(config.alerts, name)
        if section.mode != "immediate":
            digests[name] = DigestSchedule.from_settings(
                section.mode, section.digest_time, config.alerts.timezone, section.digest_day,
                section.send_empty_digest)  # fmt: skip
    age = config.alerts.backfill_delta if backfill else None
    return DeliveryPlan(digests=digests, operator=tuple(config.alerts.operator),
                        backfill_age=age or None)  # fmt: skip


def retry_policy(config: Config) -> RetryPolicy:
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
