"""The Redis server the cluster tests use: ``MTWATCH_TEST_REDIS_URL`` or the loopback default.

Each test gets a unique key prefix and its keys are deleted afterwards; without a server the
test is skipped and says why.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
import redis

REDIS_ENV = "MTWATCH_TEST_REDIS_URL"
DEFAULT_URL = "redis://127.0.0.1:6379/0"


@dataclass(frozen=True)
class RedisForTest:
    url: str
    client: redis.Redis
    prefix: str


def redis_url() -> str:
    return os.environ.get(REDIS_ENV, DEFAULT_URL)


@pytest.fixture
def redis_for_test() -> Iterator[RedisForTest]:
    url = redis_url()
    client = redis.Redis.from_url(url, socket_connect_timeout=2, socket_timeout=10)
    try:
        client.ping()
    except redis.RedisError as exc:
        client.close()
        pytest.skip(f"no Redis server at {url} ({exc.__class__.__name__}: {exc}); "
                    f"set {REDIS_ENV} to run the cluster tests")
    prefix = f"mtwtest:{uuid.uuid4().hex[:12]}:"
    try:
        yield RedisForTest(url, client, prefix)
    finally:
        keys = list(client.scan_iter(match=f"{prefix}*", count=1000))
        if keys:
            client.delete(*keys)
        client.close()
