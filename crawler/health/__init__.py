"""Run health: is each crawl doing its job, and does the operator hear when it is not.

- ``funnel``: the counts of one run (discovered → fetched → extracted → matched → alerted)
- ``verdict``: the run's verdict from them (ok / degraded / failed) — never a quiet-day lie
- ``extension``: the RunHealth crawl extension (crawl lock, the run row, the verdict file)
- ``storeguard``: a store write failing mid-crawl stops the crawl, loudly
- ``readings``, ``monitors``: coverage monitors judging a run against earlier ones (pure)
- ``canaries``: known matching articles that must still extract and match (pure)
- ``monitor_state``: a monitor trips once and recovers once (pure)
- ``coverage``: the end-of-run review: judge, keep the state, queue the operator's notices
- ``deadman``: the daemon's dead-man's switch (no successful crawl for too long)
"""
