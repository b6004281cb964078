"""The [cluster] table: off by default, validated once, every error naming its key and source."""

from __future__ import annotations

from pathlib import Path

import pytest

from crawler.config import ConfigError, load_config

PG = "postgresql+psycopg://mtwatch@db.internal/mtwatch"


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "mtwatch.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_the_default_is_one_machine_without_redis() -> None:
    cluster = load_config(env={}).cluster
    assert not cluster.enabled
    assert (cluster.key_prefix, cluster.lease_ttl, cluster.heartbeat,
            cluster.worker_expiry) == ("mtwatch:", 300, 30, 90)


def test_a_cluster_on_postgres_loads_from_file_and_environment(tmp_path: Path) -> None:
    user = write(tmp_path, f'[store]\nurl = "{PG}"\n[cluster]\nkey_prefix = "desk:"\n'
                           'lease_ttl = 60\nheartbeat = 10\nworker_expiry = 30\n')
    config = load_config(user, env={"MTWATCH_REDIS_URL": "redis://10.0.0.5:6379/2"})
    assert config.cluster.enabled
    assert config.cluster.redis_url == "redis://10.0.0.5:6379/2"
    assert config.cluster.key_prefix == "desk:"
    assert config.origin("cluster.redis_url") == "MTWATCH_REDIS_URL"


def test_redis_on_an_sqlite_store_is_refused_and_says_why(tmp_path: Path) -> None:
    user = write(tmp_path, '[cluster]\nredis_url = "redis://127.0.0.1:6379/0"\n')
    with pytest.raises(ConfigError) as err:
        load_config(user, env={})
    message = str(err.value)
    assert f"cluster.redis_url in {user}" in message
    assert "default SQLite store" in message
    assert "PostgreSQL" in message
    with pytest.raises(ConfigError, match="an SQLite store"):
        load_config(user, env={"MTWATCH_DB_URL": f"sqlite:///{tmp_path / 'x.db'}"})


@pytest.mark.parametrize(("table", "key", "needle"), [
    ('redis_url = "http://:secret@cache:6379"', "cluster.redis_url", "got http://…"),
    ('redis_url = "redis://"', "cluster.redis_url", "has no host"),
    ('redis_url = "redis://cache:port/0"', "cluster.redis_url", "port"),
    ('key_prefix = "a b"', "cluster.key_prefix", "without spaces"),
    ('key_prefix = ""', "cluster.key_prefix", "1 to 64"),
    ("lease_ttl = 1", "cluster.lease_ttl", "greater than or equal to 2"),
    ("lease_ttl = 60\nheartbeat = 40", "cluster.heartbeat", "half of cluster.lease_ttl"),
    ("heartbeat = 30\nworker_expiry = 45", "cluster.worker_expiry", "twice cluster.heartbeat"),
    ("workers = 3", "cluster.workers", "unknown key"),
])
def test_a_bad_cluster_value_names_its_key_and_file(tmp_path: Path, table: str, key: str,
                                                    needle: str) -> None:
    user = write(tmp_path, f'[store]\nurl = "{PG}"\n[cluster]\n{table}\n')
    with pytest.raises(ConfigError) as err:
        load_config(user, env={})
    message = str(err.value)
    assert key in message, message
    assert needle in message, message
    assert "secret" not in message


def test_a_bad_redis_url_in_the_environment_names_the_variable() -> None:
    with pytest.raises(ConfigError, match="MTWATCH_REDIS_URL: must be a redis://"):
        load_config(env={"MTWATCH_DB_URL": PG, "MTWATCH_REDIS_URL": "memcached://x"})
