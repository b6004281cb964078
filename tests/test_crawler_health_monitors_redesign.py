"""A site redesign through the real ``mtwatch run``: matches keep flowing (recall >= 0.95 on
the planted positives under each redesigned layout), the run says why it is degraded, the
operator is told once, and once more when the layout is understood again."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.helpers.launch import FAST_CONFIG
from tests.helpers.smtp import SmtpServer, notices, smtp_env
from tests.replica import READABLE_REDESIGNS, Replica
from tests.replica.harness import Crawl, matched_ids, mtwatch_run, query

pytestmark = pytest.mark.e2e

ARTICLES, SEED = 200, 5
#: the notice test crawls four times and counts notices, not recall: a smaller site is enough
#: (far above the monitors' minimum of pages; below ~80 the opinion feed lists nothing and the
#: first run is degraded for that)
NOTICE_ARTICLES = 100
#: the recall the issue asks for under a redesign
MIN_RECALL = 0.95


def run(workdir: Path, replica: Replica, smtp: SmtpServer, *args: str) -> Crawl:
    crawl = mtwatch_run(workdir, replica.base_url, "--since", "2023-01-01", *args,
                        config=FAST_CONFIG, env=smtp_env(smtp))
    assert crawl.returncode == 0, crawl.stderr[-3000:]
    return crawl


@pytest.mark.parametrize("layout", READABLE_REDESIGNS)
def test_recall_holds_under_a_redesign_and_the_run_says_why(
        layout: str, tmp_path: Path, smtp: SmtpServer) -> None:
    with Replica(articles=ARTICLES, seed=SEED, layout=layout) as replica:
        crawl = run(tmp_path, replica, smtp)
        truth = replica.truth
    positives, traps = set(truth["positives"]), set(truth["traps"])
    matched = matched_ids(tmp_path)
    recall = len(positives & matched) / len(positives)
    print(json.dumps({"layout": layout, "recall": recall, "positives": len(positives),
                      "traps_matched": sorted(traps & matched), "reason": crawl.summary.get(
                          "reason")}))
    assert recall >= MIN_RECALL, f"missed: {sorted(positives - matched)}"
    assert len(traps & matched) <= max(1, len(traps) // 20), sorted(traps & matched)
    assert crawl.status == "degraded"
    reason = str(crawl.summary["reason"])
    assert reason.startswith("layout changed? ")
    assert "article pages had no" in reason or "too small for their text" in reason
    assert "generic extraction used for" in reason
    paths = dict(query(tmp_path, "SELECT extraction, count(*) FROM articles "
                                 "WHERE state = 'evaluated' GROUP BY extraction"))
    assert "zone" not in paths or paths["zone"] < len(truth["articles"]) / 2, paths
    assert len(notices(smtp)) == 1
    assert "layout changed?" in notices(smtp)[0]


def test_told_once_while_it_lasts_and_once_when_it_recovers(
        tmp_path: Path, smtp: SmtpServer) -> None:
    """Four real crawls in a row (before, during, quiet, repaired): ~12 s alone here, most of
    it the four processes' start-up, and over 30 s when the full suite keeps both cores busy.
    The number of runs is the point (told once while it lasts, once when it recovers)."""
    with Replica(articles=NOTICE_ARTICLES, seed=SEED) as replica:
        first = run(tmp_path, replica, smtp)
        assert first.status == "ok", first.summary
        replica.set_layout("redesign-a")
        redesigned = run(tmp_path, replica, smtp, "--refresh")
        assert redesigned.status == "degraded"
        assert notices(smtp) == ["[mtwatch] operator notice: layout changed? article pages "
                                 "without their article zone"]
        body = smtp.messages[-1].message.get_body(("plain",))
        assert body is not None
        assert "generic extraction used for" in body.get_content()
        quiet = run(tmp_path, replica, smtp)  # nothing new: judged on the runs before
        assert quiet.status == "degraded"
        assert "layout changed?" in str(quiet.summary["reason"])
        assert "(the last 2 runs)" in str(quiet.summary["reason"])
        assert len(notices(smtp)) == 1
        status = _status(tmp_path)
        assert status["monitors"]["zone"]["tripped"] is True
        replica.set_layout("classic")
        repaired = run(tmp_path, replica, smtp, "--refresh")
    assert repaired.status == "ok", repaired.summary
    assert len(notices(smtp)) == 2
    assert "(recovered)" in notices(smtp)[1]
    assert _status(tmp_path)["monitors"]["zone"]["tripped"] is False


def _status(workdir: Path) -> dict[str, object]:
    """``mtwatch status --json`` in-process (the crawls above are the real processes)."""
    from tests.helpers.launch import invoke_cli, mtwatch_env

    env = mtwatch_env(workdir, MTWATCH_CONFIG=str(workdir / "crawl.toml"))
    done = invoke_cli(["status", "--json"], env)
    assert done.exit_code == 0, done.stderr
    return dict(json.loads(done.stdout))
