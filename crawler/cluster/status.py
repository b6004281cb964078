"""What `mtwatch status` says about a cluster: its workers, its leader, the work waiting."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import func, select

from crawler.cluster.keys import queue_key, start_key, workers_prefix
from pipelines.storage.schema import url_leases

if TYPE_CHECKING:
    import redis

    from crawler.config import Config
    from pipelines.storage import Store


def cluster_status(config: Config, store: Store, client: redis.Redis, now: datetime
                   ) -> dict[str, Any]:
    """Workers (host, pid, last heartbeat, leases in flight), the leader's last round, what
    waits in Redis per site, and the URL leases by state. A Redis that does not answer is
    said in ``redis_error`` (the store part is still shown)."""
    import redis

    from crawler.cluster.leader import LEADER_KEY
    from crawler.cluster.workers import WorkerRegistry

    cluster = config.cluster
    with store.engine.connect() as conn:
        leases = {str(state): int(n) for state, n in conn.execute(
            select(url_leases.c.state, func.count()).group_by(url_leases.c.state))}
    out: dict[str, Any] = {"key_prefix": cluster.key_prefix,
                           "leader": store.get_state(LEADER_KEY), "leases": leases,
                           "workers": [], "queue": {}, "redis_error": None}
    try:
        registry = WorkerRegistry(client, expiry=cluster.worker_expiry,
                                  prefix=workers_prefix(cluster.key_prefix))
        out["workers"] = [{
            "id": w.worker_id, "host": w.host, "pid": w.pid,
            "started_at": datetime.fromtimestamp(w.started, now.tzinfo).isoformat(),
            "heartbeat_at": datetime.fromtimestamp(w.last_heartbeat, now.tzinfo).isoformat(),
            "seconds_since_heartbeat": round(w.age(now.timestamp()), 1),
            "in_flight": w.in_flight, "idle": w.idle,
        } for w in registry.workers(now.timestamp())]
        with client.pipeline(transaction=False) as pipe:
            for site in config.running_sites:
                pipe.zcard(start_key(cluster.key_prefix, site))
                pipe.zcard(queue_key(cluster.key_prefix, site))
            counts = pipe.execute()
        out["queue"] = {site: {"start": int(counts[2 * i]), "requests": int(counts[2 * i + 1])}
                        for i, site in enumerate(config.running_sites)}
    except redis.RedisError as exc:
        out["redis_error"] = f"{exc.__class__.__name__}: {exc}"[:300]
    return out


def cluster_lines(state: dict[str, Any]) -> list[str]:
    """The status table's lines about the cluster (what Redis said is shown cleaned: anyone
    who can write there can put anything in a host name)."""
    from pipelines.untrusted import clean_line

    leader = state.get("leader")
    host = clean_line(str(leader.get("host"))) if leader else ""
    lines = [f"leader:           last round {leader.get('round_at')} on {host} "
             f"pid {leader.get('pid')}: {leader.get('documents')} documents, "
             f"{leader.get('articles')} articles queued" if leader else
             "leader:           no round yet (`mtwatch daemon` or `mtwatch leader`)"]
    if state.get("redis_error"):
        lines.append(f"redis:            not answering: {clean_line(state['redis_error'])}")
    waiting = sum(q["start"] + q["requests"] for q in state.get("queue", {}).values())
    per_site = ", ".join(f"{site} {q['start'] + q['requests']}"
                         for site, q in state.get("queue", {}).items())
    lines.append(f"queue:            {waiting} waiting in Redis ({per_site or 'no site'})")
    leases = state.get("leases", {})
    lines.append("leases:           " + ", ".join(
        f"{leases.get(s, 0)} {s}" for s in ("queued", "claimed", "done")))
    workers = state.get("workers", [])
    lines += [f"worker:           {clean_line(w['host'])} pid {w['pid']}, heartbeat "
              f"{w['seconds_since_heartbeat']:g} s ago, {w['in_flight']} in flight"
              + (", idle" if w["idle"] else "") for w in workers] or [
        "worker:           none alive"]
    return lines
