"""The desk's settings, read once: where it listens, its access token, its local time zone."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from pydantic import ValidationError

from crawler.config import ConfigError, WebConfig
from crawler.hosts import is_loopback

TOKEN_ENV = "MTWATCH_WEB_TOKEN"  # noqa: S105 (the variable's name, not a secret)
MIN_TOKEN_CHARS = 16
#: Host headers a loopback-only desk answers (anything else is a DNS-rebinding attempt)
LOOPBACK_HOSTS = ("127.0.0.1", "localhost", "::1", "[::1]")


@dataclass(frozen=True)
class WebSettings:
    """What `mtwatch serve` runs with."""

    host: str = "127.0.0.1"
    port: int = 8080
    #: every request must present it when set (required for a non-loopback bind)
    token: str | None = None
    timezone: str = "Europe/Moscow"
    page_size: int = 50

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    @property
    def loopback(self) -> bool:
        return is_loopback(self.host)

    @classmethod
    def from_config(cls, web: WebConfig, env: Mapping[str, str], *, host: str | None = None,
                    port: int | None = None) -> WebSettings:
        """The [web] table with command-line overrides; ConfigError (one line) for an address
        other than loopback without a token, or a token too short to be one."""
        host = host or web.host
        if host != web.host:
            try:
                WebConfig.model_validate({"host": host})  # the config file's check
            except ValidationError:
                raise ConfigError(f"--host must be an IP address or 'localhost', got {host!r}"
                                  ) from None
        token = env.get(TOKEN_ENV) or None
        if token is not None and len(token) < MIN_TOKEN_CHARS:
            raise ConfigError(f"{TOKEN_ENV} is too short: use at least {MIN_TOKEN_CHARS} "
                              "random characters (e.g. `openssl rand -hex 24`)")
        if not is_loopback(host) and token is None:
            raise ConfigError(f"refusing to serve the desk on {host}: any address other than "
                              f"127.0.0.1 needs {TOKEN_ENV} set (every request must then "
                              "present it)")
        return cls(host=host, port=web.port if port is None else port, token=token,
                   timezone=web.timezone, page_size=web.page_size)
