"""The desk's Starlette application: routes, middleware, and the page responses."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from typing import Any

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.middleware.trustedhost import TrustedHostMiddleware
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from crawler.config import Config
from crawler.web import actions, feeds
from crawler.web.links import Links
from crawler.web.pages import article, health, matches, trends
from crawler.web.render import STATIC, Times, render_page
from crawler.web.security import CSRF_COOKIE, Csrf, SecurityHeaders, TokenGate
from crawler.web.settings import LOOPBACK_HOSTS, WebSettings
from pipelines.matcher import Matcher
from pipelines.storage import Store
from pipelines.storage.desk import MatchRow, newest, topics_and_sites


class Desk:
    """The pages of one store, for one server process."""

    def __init__(self, store: Store, config: Config, settings: WebSettings,
                 matchers: Sequence[Matcher]) -> None:
        self.store, self.config, self.settings = store, config, settings
        self.matchers = list(matchers)
        self.topics = {m.topic.id: m.topic.name for m in self.matchers}
        self.csrf = Csrf()
        self.times = Times(settings.zone)
        self.links = Links()
        self.actions = actions.Actions(self)
        self.weeks = trends.WeekCache(store)

    # ---- responses ---------------------------------------------------------------------

    def page(self, request: Request, template: str, context: Mapping[str, Any],
             status: int = 200) -> HTMLResponse:
        """A page, with this browser's CSRF token in its forms (a new cookie if needed)."""
        cookie = self.csrf.cookie_of(request)
        fresh = cookie is None
        cookie = cookie or self.csrf.new_cookie()
        html = render_page(template, dict(context), links=self.links, times=self.times,
                           topics=self.topics, csrf=self.csrf.token(cookie))
        response = HTMLResponse(html, status_code=status)
        if fresh:
            response.set_cookie(CSRF_COOKIE, cookie, httponly=True, samesite="strict", path="/")
        return response

    def error(self, request: Request, status: int, message: str) -> HTMLResponse:
        return self.page(request, "error.html.j2", {"status": status, "message": message,
                                                    "page": "error"}, status)

    # ---- pages -------------------------------------------------------------------------

    def matches_page(self, request: Request) -> Response:
        context = matches.context(self.store, request.query_params, self.settings.zone,
                                  self.settings.page_size)
        return self.page(request, "matches.html.j2", {**context, "page": "matches"})

    def article_page(self, request: Request, *, status: int = 200, error: str = ""
                     ) -> Response:
        article_id = int(request.path_params["article_id"])
        context = article.context(self.store, self.matchers, article_id)
        if context is None:
            return self.error(request, 404, f"no stored article with id {article_id}")
        notice = "label saved" if request.query_params.get("labelled") else ""
        return self.page(request, "article.html.j2",
                         {**context, "page": "article", "error": error, "notice": notice},
                         status)

    def trends_page(self, request: Request) -> Response:
        window = trends.parse(request.query_params, self._today())
        context = trends.context(self.store, window, self.weeks.get(window))
        return self.page(request, "trends.html.j2", {**context, "page": "trends"})

    def chart(self, request: Request) -> Response:
        name = request.path_params["name"]
        if name not in trends.CHARTS:
            raise HTTPException(404)
        window = trends.parse(request.query_params, self._today())
        svg = trends.chart(name, self.weeks.get(window))
        return Response(svg, media_type="image/svg+xml")

    def health_page(self, request: Request, *, status: int = 200, error: str = ""
                    ) -> Response:
        context = health.context(self.store, datetime.now(UTC))
        retried = request.query_params.get("retried", "")
        notice = f"alert {int(retried)} was sent again" if retried.isdigit() else ""
        return self.page(request, "health.html.j2",
                         {**context, "page": "health", "notice": notice, "error": error},
                         status)

    def topic_feed(self, request: Request) -> Response:
        topic = request.path_params["topic"]
        with self.store.read("desk_feed") as conn:
            known, _ = topics_and_sites(conn)
            rows = newest(conn, topic=topic, site=None, limit=feeds.FEED_ENTRIES)
        if topic not in self.topics and topic not in known:
            raise HTTPException(404)
        title = f"mtwatch: {self.topics.get(topic, topic)}"
        return self._feed(request, f"urn:mtwatch:feed:topic:{topic}", title, rows)

    def site_feed(self, request: Request) -> Response:
        site = request.path_params["site"]
        with self.store.read("desk_feed") as conn:
            _, sites = topics_and_sites(conn)
            rows = newest(conn, topic=None, site=site, limit=feeds.FEED_ENTRIES)
        if site not in sites:
            raise HTTPException(404)
        return self._feed(request, f"urn:mtwatch:feed:site:{site}", f"mtwatch: {site}", rows)

    def _feed(self, request: Request, feed_id: str, title: str, rows: list[MatchRow]
              ) -> Response:
        base = str(request.base_url)

        def desk_link(row: MatchRow) -> str:
            return base + self.links.article(row.article_id).lstrip("/")

        body = feeds.atom(feed_id, title, rows, self_url=str(request.url), desk_link=desk_link)
        return Response(body, media_type="application/atom+xml; charset=utf-8")

    def _today(self) -> Any:
        return datetime.now(self.settings.zone).date()


def build(store: Store, config: Config, settings: WebSettings, matchers: Sequence[Matcher]
          ) -> Starlette:
    """The ASGI application of the desk over ``store``."""
    desk = Desk(store, config, settings, matchers)

    async def not_found(request: Request, exc: Exception) -> Response:
        status = getattr(exc, "status_code", 404)
        detail = "no such page" if status == 404 else str(getattr(exc, "detail", "")) or "error"
        return desk.error(request, status, detail)

    routes = [
        Route("/", lambda _: RedirectResponse("/matches", status_code=307)),
        Route("/matches", desk.matches_page),
        Route("/articles/{article_id:int}", desk.article_page),
        Route("/articles/{article_id:int}/label", desk.actions.label, methods=["POST"]),
        Route("/trends", desk.trends_page),
        Route("/charts/{name}.svg", desk.chart),
        Route("/health", desk.health_page),
        Route("/alerts/{alert_id:int}/retry", desk.actions.retry, methods=["POST"]),
        Route("/feeds/{topic}.atom", desk.topic_feed),
        Route("/feeds/site/{site}.atom", desk.site_feed),
        Mount("/static", StaticFiles(directory=STATIC), name="static"),
    ]
    middleware = [Middleware(SecurityHeaders)]
    if settings.loopback and ":" not in settings.host:
        # a loopback desk answers loopback names only (DNS rebinding); Starlette's check
        # cannot read a bracketed IPv6 Host, so a desk on ::1 relies on the token, if set
        middleware.append(Middleware(TrustedHostMiddleware, allowed_hosts=list(LOOPBACK_HOSTS)))
    middleware.append(Middleware(TokenGate, token=settings.token))
    return Starlette(routes=routes, middleware=middleware,
                     exception_handlers={HTTPException: not_found})
