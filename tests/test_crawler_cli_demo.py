"""`mtwatch demo`: the replica on a free loopback port, crawled into a throwaway store, the
matches, one rendered alert and what to do next; no network, no SMTP, none of the user's
settings."""

from __future__ import annotations

import json
import re
from pathlib import Path

from tests.helpers.launch import mtwatch_env, run_cli, run_cli_here


def test_demo_crawls_the_replica_and_shows_matches_an_alert_and_next_steps(
        workdir: Path) -> None:
    env = mtwatch_env(workdir)
    # the user's own settings must not leak into the demo: a store it must not touch, and
    # a config file that would fail
    broken = workdir / "broken.toml"
    broken.write_text("[crawl]\ndownload_delay = 'soon'\n", "utf-8")
    env["MTWATCH_CONFIG"] = str(broken)
    keep = workdir / "demo"
    # the quick start as a user first meets it: a real new process (not the tests' zygote)
    done = run_cli(["demo", "--articles", "60", "--seed", "11", "--keep", str(keep)], env,
                   workdir, real_exec=True)
    assert done.returncode == 0, done.stderr
    out = done.stdout
    site = re.search(r"the offline replica \(60 articles\) is at (http://127\.0\.0\.1:\d+);",
                     out)
    assert site is not None, out
    assert "politeness lifted for the loopback site " + site.group(1) in done.stderr
    matched = re.search(r"(\d+) article\(s\) matched; the (\d+) newest:", out)
    assert matched is not None
    assert int(matched.group(1)) > 0
    alert = re.search(r"The alert for article (\d+), as it would be e-mailed:", out)
    assert alert is not None
    assert "Subject: [mtwatch] moscowtimes · Syria–Turkey normalization: " in out
    assert "Evidence (matched terms in **bold**):" in out
    assert "What next:" in out
    assert f"mtwatch show {alert.group(1)} --db sqlite:///{keep / 'demo.db'}" in out
    assert not (workdir / "mtwatch.db").exists()  # the user's store was never opened
    shown = run_cli_here(["show", alert.group(1), "--db", f"sqlite:///{keep / 'demo.db'}",
                     "--format", "json"], mtwatch_env(workdir), workdir)
    assert json.loads(shown.stdout)["matches"][0]["evidence"]


def test_demo_without_keep_leaves_nothing_behind(workdir: Path) -> None:
    done = run_cli(["demo", "--articles", "20"], mtwatch_env(workdir), workdir)
    assert done.returncode == 0, done.stderr
    store = re.search(r"crawling it into (\S+)\n", done.stdout)
    assert store is not None
    assert not Path(store.group(1)).parent.exists()
    assert "mtwatch demo --keep DIR" in done.stdout
