"""The daemon (`mtwatch daemon`): its schedule, the bookkeeping of what it sees, its metrics.

- ``scheduler``: the APScheduler loop starting crawl children and alert retries
- ``bookkeeping``: slot rows, heartbeat, the dead-man's switch check, alert retries, metrics
- ``metrics``: optional Prometheus run counters
"""
