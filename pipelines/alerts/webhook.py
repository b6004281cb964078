"""The webhook channel: a JSON POST signed per Standard Webhooks, to a pinned public address."""

from __future__ import annotations

import hashlib
import http.client
import json
import logging
import ssl
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from email.utils import parsedate_to_datetime
from ipaddress import ip_address
from typing import Any

from pipelines.alerts import signing
from pipelines.alerts.base import DeliveryError, payload_kind
from pipelines.alerts.netguard import (
    AddressPolicy,
    BlockedTargetError,
    Connector,
    Reply,
    Resolver,
    Target,
    post,
    resolve_target,
    split_url,
    system_connector,
    system_resolver,
)

logger = logging.getLogger(__name__)

#: marks an error whose retry time the receiver chose (the relay never sends earlier)
RETRY_AFTER = "Retry-After"
#: statuses worth retrying: the receiver is busy, down or asked us to slow down
TRANSIENT = frozenset({408, 425, 429})
#: what to do when the channel itself fails (the channel is held until it works again); ``{key}``
#: is where the URL was set, ``{route}`` the route's name
FIX_GONE = ("set a new {key}, or run `mtwatch alerts enable {route}` once the endpoint is back")
FIX_DNS = "check the host in {key} (it does not resolve; no network?)"
FIX_TLS = ("the receiver's certificate is not trusted or not issued for its name: fix the host "
           "in {key}, or trust its CA (SSL_CERT_FILE=...)")
FIX_INTERNAL = ("the URL resolves to an internal address: if the receiver is yours, list it in "
                "alerts.webhook.allow_internal; otherwise fix {key}")
#: the longest Retry-After a receiver gets (the relay's longest backoff): any bigger number,
#: 400 digits included, means "a day"
MAX_RETRY_AFTER = 24 * 3600.0


@dataclass(frozen=True)
class WebhookSettings:
    """Where and how to POST. ``secrets`` never appear in repr."""

    url: str
    secrets: tuple[str, ...] = field(repr=False)
    timeout: float = 15.0
    allow_internal: tuple[str, ...] = ()
    user_agent: str = "mtwatch-webhook/0.2"
    ssl_context: ssl.SSLContext | None = field(default=None, repr=False, compare=False)
    #: where the URL was set, named in every error about it (a watch's own ``url`` key)
    url_key: str = "MTWATCH_WEBHOOK_URL"
    #: the route these settings send for (``webhook`` or ``webhook:<watch>``)
    route: str = "webhook"

    def fix(self, template: str) -> str:
        """A fix text that names where this URL was set and this route."""
        return template.format(key=self.url_key, route=self.route)

    def __post_init__(self) -> None:
        try:
            split_url(self.url)
        except BlockedTargetError as exc:
            raise ValueError(f"{self.url_key}: {exc}") from None
        if not self.timeout > 0:
            raise ValueError(f"alerts.webhook.timeout: {self.timeout!r} must be > 0 seconds")
        for index, secret in enumerate(self.secrets, 1):
            signing.parse_secrets(secret, f"webhook secret #{index}")
        if not self.secrets:
            raise ValueError("a webhook signing secret is required")


def envelope(payload: Mapping[str, Any], key: str) -> str:
    """The JSON body, serialized once: the signed text is exactly the bytes sent."""
    document = {"type": f"mtwatch.{payload_kind(payload)}", "id": key, "data": dict(payload)}
    return json.dumps(document, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


class WebhookNotifier:
    """POSTs each event once per attempt; ``webhook-id`` is the alert's idempotency key."""

    channel = "webhook"

    def __init__(
        self,
        settings: WebhookSettings,
        *,
        resolver: Resolver = system_resolver,
        connector: Connector = system_connector,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.settings = settings
        self.policy = AddressPolicy(settings.allow_internal)
        self._resolver, self._connector, self._clock = resolver, connector, clock
        #: the socket peer of the last delivery attempt (what the pinned connection reached)
        self.last_peer: tuple[str, int] | None = None

    def __repr__(self) -> str:
        return f"WebhookNotifier({self.settings!r})"

    @property
    def fingerprint(self) -> str:
        """Changes with the URL: new settings resume a channel held after a 410."""
        return hashlib.sha256(self.settings.url.encode("utf-8")).hexdigest()[:16]

    def target(self) -> Target:
        """Resolve once; BlockedTargetError for internal addresses, or plain HTTP to the world."""
        target = resolve_target(self.settings.url, self.policy, self._resolver)
        if target.scheme == "http" and not self.policy.listed(target.host, ip_address(target.ip)):
            raise BlockedTargetError("plain http:// is only for hosts listed in "
                                     "alerts.webhook.allow_internal; use https://")  # fmt: skip
        return target

    def check(self) -> None:
        """Refuse a forbidden target now (a config error); a DNS failure is left for later."""
        try:
            self.target()
        except BlockedTargetError as exc:
            raise ValueError(f"{self.settings.url_key}: {exc}") from None
        except OSError as exc:
            logger.warning("webhook host cannot be resolved yet: %s", exc)

    def send(self, payload: Mapping[str, Any], *, idempotency_key: str) -> None:
        text = envelope(payload, idempotency_key)
        try:
            target = self.target()
        except BlockedTargetError as exc:
            raise DeliveryError(f"webhook refused: {exc}", transient=False,
                                fix=self.settings.fix(FIX_INTERNAL)) from None  # fmt: skip
        except OSError as exc:
            raise DeliveryError(f"webhook DNS lookup failed: {exc}", transient=True,
                                fix=self.settings.fix(FIX_DNS)) from None  # fmt: skip
        headers = {
            "content-type": "application/json",
            "user-agent": self.settings.user_agent,
            **signing.headers(self.settings.secrets, idempotency_key, int(self._clock()), text),
        }
        reply = self._post(target, text.encode("utf-8"), headers)
        self.last_peer = reply.peer
        self._judge(reply)
        logger.info("webhook %s delivered (HTTP %d)", idempotency_key, reply.status)

    def _post(self, target: Target, body: bytes, headers: dict[str, str]) -> Reply:
        s = self.settings
        try:
            return post(target, body, headers, timeout=s.timeout, connector=self._connector,
                        context=s.ssl_context)  # fmt: skip
        except TimeoutError:
            message = f"webhook timed out after {s.timeout:g} s"
            raise DeliveryError(message, transient=True) from None
        except ssl.SSLError as exc:
            raise DeliveryError(f"webhook TLS failed: {exc}", transient=True,
                                fix=self.settings.fix(FIX_TLS)) from None  # fmt: skip
        except (OSError, http.client.HTTPException) as exc:
            message = f"webhook connection failed: {type(exc).__name__}: {exc}"
            raise DeliveryError(message, transient=True) from None

    def _judge(self, reply: Reply) -> None:
        status = reply.status
        if 200 <= status < 300:
            return
        if status == 410:
            raise DeliveryError("webhook endpoint answered 410 Gone: channel disabled",
                                transient=False, code=410, disable=True,
                                fix=self.settings.fix(FIX_GONE))  # fmt: skip
        if 300 <= status < 400:
            where = reply.headers.get("location", "?")[:200]
            raise DeliveryError(f"webhook answered {status} (redirect to {where}); redirects are "
                                f"never followed: fix {self.settings.url_key}", transient=False,
                                code=status)  # fmt: skip
        transient = status >= 500 or status in TRANSIENT
        wait = retry_after(reply.headers.get("retry-after"), self._clock())
        asked = f" ({RETRY_AFTER} {wait:.0f} s)" if wait is not None else ""
        raise DeliveryError(f"webhook answered HTTP {status}{asked}", transient, code=status,
                            retry_after=wait)  # fmt: skip


def retry_after(value: str | None, now: float) -> float | None:
    """Seconds to wait from a Retry-After header (delta-seconds or an HTTP date), at most
    MAX_RETRY_AFTER."""
    if not value:
        return None
    value = value.strip()
    if value.isascii() and value.isdigit():  # ("²".isdigit() too, but no number)
        return MAX_RETRY_AFTER if len(value) > 9 else min(float(value), MAX_RETRY_AFTER)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    return min(max(when.timestamp() - now, 0.0), MAX_RETRY_AFTER)
