"""Load mtwatch configuration: shipped defaults, a user TOML file, then MTWATCH_* environment."""

from __future__ import annotations

import os
import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Literal
from urllib.parse import urlsplit

from pydantic import BaseModel, ConfigDict, Field, SecretStr, ValidationError, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

#: the repository's data folder with the shipped defaults and topic rules
SHIPPED_CONFIG_DIR = Path(__file__).resolve().parent.parent / "config"


class ConfigError(ValueError):
    """A configuration problem, reported to the user as one line."""


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class SiteConfig(_Section):
    url: str
    feeds: list[str]
    sitemap_index: str
    sitemap_months: int = Field(ge=0, le=24)

    @field_validator("url")
    @classmethod
    def _http_url(cls, value: str) -> str:
        parts = urlsplit(value)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ValueError(f"must be an http(s) URL with a host, got {value!r}")
        return value.rstrip("/")


class CrawlConfig(_Section):
    user_agent: str = Field(min_length=1)
    download_delay: float = Field(ge=0)
    concurrent_requests_per_domain: int = Field(ge=1, le=16)
    autothrottle: bool
    download_timeout: float = Field(gt=0)
    run_timeout: float = Field(gt=0)
    refresh: bool = False


class StoreConfig(_Section):
    url: str = ""


class TopicsConfig(_Section):
    enabled: list[str] = Field(min_length=1)


class EmailConfig(_Section):
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


class AlertsConfig(_Section):
    channels: list[Literal["email"]] = Field(default_factory=list)
    email: EmailConfig = EmailConfig()


class Config(_Section):
    site: SiteConfig
    crawl: CrawlConfig
    store: StoreConfig
    topics: TopicsConfig
    alerts: AlertsConfig
    #: where the config was read from, for messages
    sources: tuple[str, ...] = ()
    data_dir: Path = Path()

    @property
    def store_url(self) -> str:
        return self.store.url or f"sqlite:///{self.data_dir / 'mtwatch.db'}"

    @property
    def topics_dir(self) -> Path:
        return SHIPPED_CONFIG_DIR / "topics"


class EnvOverrides(BaseSettings):
    """The MTWATCH_* environment variables; each overrides one config key."""

    model_config = SettingsConfigDict(env_prefix="MTWATCH_", extra="ignore")

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
            "site": {"url": self.site},
            "store": {"url": self.db_url},
            "alerts": {"email": email},
        }
        return _drop_none(patch)


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
) -> Config:
    """Defaults, then the user file (``path`` or MTWATCH_CONFIG), then env, then ``overrides``."""
    env = os.environ if env is None else env
    env_over = _read_env(env)
    shipped = SHIPPED_CONFIG_DIR / "mtwatch.toml"
    tree = read_toml(shipped)
    sources = [str(shipped)]
    user_file = path or env_over.config
    if user_file is not None:
        user_tree = read_toml(Path(user_file))
        alerts = user_tree.get("alerts")
        email_table = alerts.get("email") if isinstance(alerts, dict) else None
        if isinstance(email_table, dict) and "password" in email_table:
            raise ConfigError(f"{user_file}: alerts.email.password is not allowed in a file; "
                              "set MTWATCH_SMTP_PASSWORD in the environment")
        tree = merge(tree, user_tree)
        sources.append(str(user_file))
    tree = merge(tree, env_over.as_patch())
    tree = merge(tree, _drop_none(dict(overrides or {})))
    if env_over.smtp_password is not None:
        tree = merge(tree, {"alerts": {"email": {"password": env_over.smtp_password}}})
    tree["sources"] = tuple(sources)
    tree["data_dir"] = env_over.data_dir or default_data_dir(env)
    return _validate(tree, sources[-1])


def _read_env(env: Mapping[str, str]) -> EnvOverrides:
    wanted = {k: v for k, v in env.items() if k.startswith("MTWATCH_")}
    try:
        return EnvOverrides.model_validate(
            {k.removeprefix("MTWATCH_").lower(): v for k, v in wanted.items()}
        )
    except ValidationError as exc:
        raise ConfigError(f"environment: {_first_error(exc, prefix='MTWATCH_')}") from None


def _validate(tree: dict[str, Any], where: str) -> Config:
    try:
        return Config.model_validate(tree)
    except ValidationError as exc:
        raise ConfigError(f"config error ({where} or environment): {_first_error(exc)}") from None


def _first_error(exc: ValidationError, prefix: str = "") -> str:
    err = exc.errors()[0]
    loc = ".".join(str(part) for part in err["loc"])
    extra = f" (and {exc.error_count() - 1} more)" if exc.error_count() > 1 else ""
    name = f"{prefix}{loc.upper()}" if prefix else loc
    return f"{name}: {err['msg']}{extra}"
