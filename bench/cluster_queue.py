"""Memory of the scrapy-redis request queue per million URLs: our JSON serializer vs pickle.

    .venv/bin/python bench/cluster_queue.py [--redis redis://127.0.0.1:6379/0] [--urls 100000]

Queues --urls article requests (realistic URLs, a callback name, the meta a worker carries:
site, depth, ETag) into scrapy-redis's PriorityQueue (a ZSET, the queue class the cluster
settings choose) once with crawler.cluster.serializer and once with scrapy-redis's default
pickle, exactly as ``PriorityQueue.push`` encodes them (batched through a pipeline). Measures
``MEMORY USAGE <key> SAMPLES 0`` (every member counted) and the ``INFO memory`` used_memory
delta, and extrapolates linearly to one million URLs. Keys live under a unique prefix and are
deleted afterwards. Also prints the mean encoded size and encode+decode time per request.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
import uuid
from pathlib import Path
from types import ModuleType
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

import redis  # noqa: E402
from scrapy import Request, Spider  # noqa: E402
from scrapy_redis import picklecompat  # noqa: E402
from scrapy_redis.queue import PriorityQueue  # noqa: E402

from crawler.cluster import serializer as json_serializer  # noqa: E402

SECTIONS = ("world", "business", "politics", "opinion", "culture", "russia", "turkey", "syria")
SLUGS = ("talks", "border", "normalization", "minister", "meeting", "trade", "sanctions",
         "energy", "ankara", "damascus", "moscow", "summit", "agreement", "ceasefire")


class ArticleSpider(Spider):
    name = "articles"

    def parse_article(self, response: Any) -> None:
        pass


def requests(n: int, spider: ArticleSpider, seed: int = 7) -> list[Request]:
    rng = random.Random(seed)
    out = []
    for i in range(n):
        host = f"site{rng.randrange(20)}.example"
        slug = "-".join(rng.sample(SLUGS, rng.randint(3, 7)))
        url = (f"https://www.{host}/{rng.randint(2020, 2026)}/{rng.randint(1, 12):02d}/"
               f"{rng.randint(1, 28):02d}/{rng.choice(SECTIONS)}/{slug}-a{100000 + i}")
        if rng.random() < 0.3:
            url += f"?utm_source=rss&id={i}"
        meta = {"site": host, "depth": 1, "feed": f"https://www.{host}/rss",
                "etag": f'W/"{rng.getrandbits(64):x}"'}
        out.append(Request(url, callback=spider.parse_article, meta=meta,
                           priority=rng.choice((0, 0, 0, 10))))
    return out


def measure(client: redis.Redis, key: str, reqs: list[Request], spider: ArticleSpider,
            serializer: ModuleType) -> dict[str, float]:
    queue = PriorityQueue(server=client, spider=spider, key=key, serializer=serializer)
    start = time.perf_counter()
    encoded = [(queue._encode_request(r), -r.priority) for r in reqs]
    encode_s = time.perf_counter() - start
    start = time.perf_counter()
    for data, _score in encoded[:2000]:
        queue._decode_request(data)
    decode_s = (time.perf_counter() - start) / min(2000, len(encoded)) * len(encoded)
    before = int(client.info("memory")["used_memory"])
    pipe = client.pipeline(transaction=False)
    for i, (data, score) in enumerate(encoded, 1):
        pipe.execute_command("ZADD", key, score, data)
        if i % 5000 == 0:
            pipe.execute()
    pipe.execute()
    after = int(client.info("memory")["used_memory"])
    usage = int(client.execute_command("MEMORY", "USAGE", key, "SAMPLES", "0") or 0)
    assert client.zcard(key) == len(reqs)
    per_million = 1_000_000 / len(reqs)
    return {
        "bytes_per_request": sum(len(d) for d, _ in encoded) / len(encoded),
        "usage_mb_per_million": usage * per_million / 1e6,
        "info_delta_mb_per_million": (after - before) * per_million / 1e6,
        "encode_decode_us": (encode_s + decode_s) / len(encoded) * 1e6,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--redis", default="redis://127.0.0.1:6379/0")
    parser.add_argument("--urls", type=int, default=100_000)
    args = parser.parse_args()
    client = redis.Redis.from_url(args.redis)
    client.ping()
    spider = ArticleSpider()
    reqs = requests(args.urls, spider)
    prefix = f"mtwbench:{uuid.uuid4().hex[:8]}:"
    results = {}
    try:
        for name, module in (("json (crawler.cluster.serializer)", json_serializer),
                             ("pickle (scrapy-redis default)", picklecompat)):
            key = f"{prefix}{name.split()[0]}:requests"
            results[name] = measure(client, key, reqs, spider, module)
            client.delete(key)
    finally:
        for key in client.scan_iter(match=f"{prefix}*"):
            client.delete(key)
        client.close()
    server = redis.Redis.from_url(args.redis).info("server")["redis_version"]
    print(f"scrapy-redis PriorityQueue (ZSET), {args.urls:,} article requests, "
          f"Redis {server}; figures extrapolated to 1,000,000 URLs")
    print(f"  {'serializer':36} {'bytes/req':>9} {'MEMORY USAGE':>13} {'INFO delta':>11} "
          f"{'enc+dec':>9}")
    for name, r in results.items():
        print(f"  {name:36} {r['bytes_per_request']:9.0f} "
              f"{r['usage_mb_per_million']:10.0f} MB {r['info_delta_mb_per_million']:8.0f} MB "
              f"{r['encode_decode_us']:6.1f} µs")


if __name__ == "__main__":
    main()
