"""The alert key of a default-site article, for tests that predate several sites."""

from __future__ import annotations

from pipelines.alerts.policy import alert_key
from pipelines.storage import DEFAULT_SITE


def default_key(topic: str, article_id: int) -> str:
    """``alert_key`` of article ``article_id`` of the default site."""
    return alert_key(DEFAULT_SITE, topic, str(article_id))
