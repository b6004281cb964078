"""Chat channels (Slack, Telegram, Matrix, Discord, …) through Apprise URLs: an optional extra."""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from typing import Any

from pipelines.alerts.base import DeliveryError
from pipelines.alerts.compose import compose
from pipelines.alerts.render import SiteZones

logger = logging.getLogger(__name__)

INSTALL_HINT = "install the extra: pip install 'mtwatch[apprise]'"


class AppriseNotifier:
    """Sends one message per alert to every configured Apprise URL.

    The URLs hold tokens: they are never logged or shown. Apprise has no idempotency key, so
    the key is printed as the message's last line; a retry after a partial failure repeats the
    message at the URLs that had already received it (with the same key line).
    """

    channel = "apprise"

    def __init__(self, urls: Sequence[str], *, zones: SiteZones | None = None) -> None:
        #: site name → time zone its alerts show times in (``[sites.<name>] timezone``)
        self.zones = dict(zones or {})
        try:
            import apprise
        except ImportError:
            raise ValueError(f"the apprise channel needs Apprise: {INSTALL_HINT}") from None
        if not urls:
            raise ValueError("MTWATCH_APPRISE_URLS (or alerts.apprise.urls) is empty")
        self._apprise = apprise.Apprise()
        self._format = apprise.NotifyFormat.MARKDOWN
        for index, url in enumerate(urls, 1):
            if not self._apprise.add(url):
                raise ValueError(f"Apprise URL #{index} is not a URL Apprise understands "
                                 "(see https://github.com/caronc/apprise/wiki)")  # fmt: skip
        self.targets = len(urls)

    def __repr__(self) -> str:
        return f"AppriseNotifier({self.targets} URL(s))"

    def send(self, payload: Mapping[str, Any], *, idempotency_key: str) -> None:
        composed = compose(payload, self.zones)
        # a later report of a story: its one "also reported by" line, not a whole alert
        text = composed.short or composed.text.rstrip()
        body = f"{text}\n\nmtwatch id: {idempotency_key}"
        try:
            result = self._apprise.notify(body=body, title=composed.subject,
                                          body_format=self._format)  # fmt: skip
        except Exception as exc:  # a plugin bug must read as a failed delivery, not a crash
            raise DeliveryError(f"apprise failed: {type(exc).__name__}", transient=True) from None
        if not result:
            raise DeliveryError(
                f"apprise: delivery to at least one of {self.targets} URL(s) failed "
                "(details in the log)", transient=True)  # fmt: skip
        logger.info("apprise alert %s sent to %d URL(s)", idempotency_key, self.targets)
