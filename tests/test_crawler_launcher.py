"""crawler.launcher: the verdict of a crawl of several sites is their worst, with every reason."""

from __future__ import annotations

import json
from pathlib import Path

from crawler.launcher import _read_verdict


def test_the_sites_verdicts_join_into_the_runs(tmp_path: Path) -> None:
    base = tmp_path / "verdict.json"
    (tmp_path / "verdict.json.moscowtimes-0").write_text(json.dumps(
        {"run_id": 7, "status": "ok", "reason": "", "counts": {"fetched": 3},
         "site": "moscowtimes"}), encoding="utf-8")
    (tmp_path / "verdict.json.moscowtimes-1").write_text(json.dumps(
        {"run_id": 8, "status": "degraded", "reason": "feed empty", "counts": {"fetched": 2},
         "site": "moscowtimes-ru"}), encoding="utf-8")
    outcome = _read_verdict(base, 0, 1.0)
    assert (outcome.status, outcome.run_id) == ("degraded", 7)
    assert outcome.reason == "moscowtimes-ru: feed empty"
    assert outcome.counts == {"fetched": 5}


def test_one_site_keeps_its_own_verdict_file(tmp_path: Path) -> None:
    base = tmp_path / "verdict.json"
    base.write_text(json.dumps({"run_id": 1, "status": "failed", "reason": "store: x"}),
                    encoding="utf-8")
    outcome = _read_verdict(base, 1, 1.0)
    assert (outcome.status, outcome.reason) == ("failed", "store: x")


def test_no_verdict_at_all_is_a_failure(tmp_path: Path) -> None:
    assert _read_verdict(tmp_path / "verdict.json", 3, 1.0).status == "failed"
