"""Dead-man's switch: tell the operator once when crawls stop succeeding, and once on recovery."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from crawler.config import Config
    from pipelines.storage import Store

logger = logging.getLogger(__name__)

#: (subject, body) → delivered, or an exception
Notify = Callable[[str, str], None]
STATE_KEY = "deadman"


@dataclass(frozen=True)
class Staleness:
    """How long since the last successful crawl, against the threshold."""

    stale: bool
    since: datetime
    last_success: datetime | None
    age: timedelta


def staleness(last_success: datetime | None, watching_since: datetime, now: datetime,
              threshold: timedelta) -> Staleness:
    """Stale when no crawl succeeded for ``threshold``; before any success, count from when
    the watch began (a daemon that never succeeded is stale too, but not at its first tick)."""
    since = last_success or watching_since
    age = now - since
    return Staleness(age > threshold, since, last_success, age)


def check(store: Store, notify: Notify | None, *, now: datetime, watching_since: datetime,
          threshold: timedelta) -> str | None:
    """Send the one notice a change of state calls for; the state lives in the store, so a
    restart neither repeats nor forgets it. Returns what was sent, if anything."""
    state = store.get_state(STATE_KEY) or {"tripped": False}
    seen = staleness(store.last_success(), watching_since, now, threshold)
    if seen.stale == bool(state.get("tripped")):
        return None
    if seen.stale:
        subject = f"mtwatch: no successful crawl for {_human(seen.age)}"
        body = (f"No crawl has succeeded since {seen.since.isoformat(timespec='seconds')} "
                f"(threshold {_human(threshold)}).\nSee `mtwatch status` and the daemon's log; "
                "you will get one more message when crawls succeed again.\n")
    else:
        subject = "mtwatch: crawls succeed again"
        body = (f"A crawl succeeded at {seen.since.isoformat(timespec='seconds')} after "
                f"the outage reported at {state.get('changed_at', '?')}.\n")
    if notify is None:
        logger.error("%s (no operator channel configured)", subject)
    else:
        notify(subject, body)  # raises: state unchanged, the next tick tries again
    store.put_state(STATE_KEY, {"tripped": seen.stale, "changed_at": now.isoformat()}, now=now)
    logger.warning("dead-man's switch: %s", subject)
    return subject


def _human(delta: timedelta) -> str:
    seconds = int(delta.total_seconds())
    if seconds < 120:
        return f"{seconds} s"
    if seconds < 7200:
        return f"{seconds // 60} min"
    return f"{seconds / 3600:.1f} h"


def email_operator(config: Config) -> Notify | None:
    """Notices by e-mail to the alert recipients, through the e-mail channel's transport."""
    from pipelines.alerts import EmailNotifier
    from pipelines.wiring import build_notifiers

    notifier = build_notifiers(config, strict=False).get("email")  # unusable: no notices
    if not isinstance(notifier, EmailNotifier):
        return None

    def send(subject: str, body: str) -> None:
        settings: Any = notifier.settings
        msg = EmailMessage()
        msg["Subject"] = subject
        msg["From"] = settings.sender
        msg["To"] = ", ".join(settings.recipients)
        msg["Date"] = formatdate(usegmt=True)
        msg["Message-ID"] = make_msgid(domain="mtwatch.local")
        msg["Auto-Submitted"] = "auto-generated"
        msg.set_content(body)
        notifier.deliver(msg)

    return send
