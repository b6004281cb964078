"""The desk's state-changing requests: label an article, retry an alert. POST only, each
with this browser's CSRF token; a read-only store answers with one clear sentence."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from crawler.config import ConfigError
from crawler.web.security import CSRF_FIELD
from pipelines.storage import StoreError
from pipelines.storage.labels import MAX_BY_CHARS, MAX_NOTE_CHARS, read_only_failure
from pipelines.storage.schema import LABEL_VERDICTS

if TYPE_CHECKING:
    from crawler.web.app import Desk

EXPIRED = ("this form has expired or did not come from this desk: reload the page and try "
           "again")


class Actions:
    """POST handlers of one desk."""

    def __init__(self, desk: Desk) -> None:
        self.desk = desk
        self._notifiers: dict[str, Any] | None = None

    async def _form(self, request: Request) -> dict[str, str] | None:
        """The submitted fields, or None when the CSRF check fails."""
        form = await request.form(max_files=0, max_fields=20)
        fields = {k: v for k, v in form.items() if isinstance(v, str)}
        return fields if self.desk.csrf.valid(request, fields.get(CSRF_FIELD)) else None

    async def label(self, request: Request) -> Response:
        fields = await self._form(request)
        if fields is None:
            return self.desk.error(request, 403, EXPIRED)
        article_id = int(request.path_params["article_id"])
        verdict, topic = fields.get("verdict", ""), fields.get("topic", "")
        if verdict not in LABEL_VERDICTS or topic not in self.desk.topics:
            return self.desk.error(request, 400, "a label needs a verdict (relevant or "
                                   "not-relevant) and an enabled topic")
        note = fields.get("note", "")[:MAX_NOTE_CHARS]
        by = fields.get("by", "").strip()[:MAX_BY_CHARS] or "desk"
        try:
            await run_in_threadpool(self.desk.store.set_label, article_id, topic, verdict,
                                    note=note, by=by, now=datetime.now(UTC))
        except StoreError as exc:
            status = 403 if read_only_failure(exc) or "read-only" in str(exc) else 503
            return await run_in_threadpool(self.desk.article_page, request, status=status,
                                           error=str(exc))
        target = self.desk.links.article(article_id) + f"?labelled={topic}#labels"
        return RedirectResponse(target, status_code=303)

    async def retry(self, request: Request) -> Response:
        fields = await self._form(request)
        if fields is None:
            return self.desk.error(request, 403, EXPIRED)
        alert_id = int(request.path_params["alert_id"])
        try:
            await run_in_threadpool(self._replay, alert_id)
        except StoreError as exc:
            why = (f"the store is read-only for this database user: alert {alert_id} cannot "
                   "be retried from here" if read_only_failure(exc) else str(exc))
            return await run_in_threadpool(self.desk.health_page, request, status=403,
                                           error=why)
        except (ConfigError, RetryError) as exc:
            return await run_in_threadpool(self.desk.health_page, request, status=409,
                                           error=str(exc))
        return RedirectResponse(self.desk.links.health() + f"?retried={alert_id}#outbox",
                                status_code=303)

    def _replay(self, alert_id: int) -> None:
        """Send the alert now with its original key, as `mtwatch alerts retry` does."""
        from pipelines.alerts.replay import ReplayError, replay
        from pipelines.wiring import build_notifiers, delivery_plan, retry_policy

        config = self.desk.config
        if self._notifiers is None:
            self._notifiers = build_notifiers(config)
        try:
            replay(self.desk.store, self._notifiers, alert_id, now=datetime.now(UTC),
                   policy=retry_policy(config), plan=delivery_plan(config))
        except ReplayError as exc:
            raise RetryError(str(exc)) from exc


class RetryError(Exception):
    """The alert could not be sent again; the message is one line."""
