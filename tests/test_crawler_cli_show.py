"""`mtwatch show ID` (one match with its full evidence, crawled text shown inert) and
`mtwatch matches --limit N --topic NAME|FILE`."""

from __future__ import annotations

import json
import unicodedata
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

from click.testing import Result

from pipelines.storage import Store
from pipelines.storage.store import Evaluated
from tests.helpers.launch import invoke_cli, mtwatch_env
from tests.helpers.ops import sample_article, sample_match
from tests.helpers.topics import with_opinion

T0 = datetime(2024, 3, 5, 14, 2, tzinfo=UTC)
HOSTILE = "[link=http://evil.example/]Ankara[/link] and \x1b[2KDamascus \u202eagreed"
EVIDENCE = [
    {"field": "text", "sentence": "Ankara and Damascus agreed a roadmap.", "start": 0,
     "end": 37, "terms": ["Ankara", "Damascus", "roadmap"], "rule": "core"},
    {"field": "text", "sentence": HOSTILE + " " + "x" * 900 + " the end of it.", "start": 40,
     "end": 990, "terms": ["Ankara"], "rule": "contact-paired"},
]


def invoke(args: list[str], workdir: Path) -> Result:
    return invoke_cli(args, mtwatch_env(workdir))


def seed(workdir: Path) -> None:
    """Matches for articles 81001..81004 (81004 of another topic); 81001 has two evidence
    items, one of them hostile and long."""
    with Store(mtwatch_env(workdir)["MTWATCH_DB_URL"]) as store:
        for n, article_id in enumerate((81001, 81002, 81003, 81004)):
            store.upsert_article(sample_article(article_id, T0 + timedelta(days=n)))
            match = sample_match(article_id, T0 + timedelta(days=n))
            if article_id == 81001:
                match = replace(match, evidence=EVIDENCE)
            if article_id == 81004:
                match = replace(match, topic="mine")
            store.record_match(match, ["email"])
        store.upsert_article(sample_article(5, T0))  # stored, never matched


def unsafe(text: str) -> list[str]:
    return [c for c in text if c != "\n" and unicodedata.category(c) in ("Cc", "Cf")]


def test_show_prints_every_evidence_sentence_in_full_and_inert(workdir: Path) -> None:
    seed(workdir)
    result = invoke(["show", "81001"], workdir)
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "Headline 81001" in out
    assert "published   2024-03-05 14:02 UTC" in out
    assert "syria-turkey: strong, rule core" in out
    assert "Ankara and Damascus agreed a roadmap." in out
    assert "terms: Ankara, Damascus, roadmap" in out
    assert "the end of it." in out  # the long sentence is not clipped
    assert "[link=http://evil.example/]Ankara[/link]" in out  # markup shown as text
    assert unsafe(out) == []
    assert "alert 1: email alert pending" in out


def test_show_json_keeps_the_stored_evidence_exactly(workdir: Path) -> None:
    seed(workdir)
    result = invoke(["show", "81001", "--format", "json"], workdir)
    assert result.exit_code == 0, result.output
    assert unsafe(result.stdout) == []  # escaped as \u sequences
    data = json.loads(result.stdout)
    assert data["matches"][0]["evidence"] == EVIDENCE
    assert data["article"]["article_id"] == 81001
    assert [a["status"] for a in data["alerts"]] == ["pending"]


def test_show_without_a_match_is_one_line_and_exit_1(workdir: Path) -> None:
    seed(workdir)
    for article_id, why in (("5", "did not match"), ("77", "no stored article")):
        result = invoke(["show", article_id], workdir)
        assert result.exit_code == 1
        assert result.stderr.count("\n") == 1
        assert why in result.stderr
        assert "mtwatch matches" in result.stderr


def test_matches_limit_keeps_the_newest(workdir: Path) -> None:
    seed(workdir)
    result = invoke(["matches", "--limit", "2", "--format", "json"], workdir)
    assert [m["article_id"] for m in json.loads(result.stdout)] == [81004, 81003]
    assert invoke(["matches", "--limit", "0"], workdir).exit_code == 2


def test_matches_topic_takes_a_name_or_a_file(workdir: Path) -> None:
    seed(workdir)
    mine = workdir / "mine.toml"
    with_opinion(workdir)
    source = Path(__file__).resolve().parents[1] / "config" / "topics" / "syria-turkey.toml"
    mine.write_text(source.read_text("utf-8").replace('id = "syria-turkey"', 'id = "mine"', 1),
                    "utf-8")
    by_name = invoke(["matches", "--topic", "syria-turkey", "--format", "json"], workdir)
    assert [m["article_id"] for m in json.loads(by_name.stdout)] == [81003, 81002, 81001]
    by_file = invoke(["matches", "--topic", str(mine), "--format", "json"], workdir)
    assert [m["article_id"] for m in json.loads(by_file.stdout)] == [81004]
    unknown = invoke(["matches", "--topic", "syria"], workdir)
    assert unknown.exit_code == 2
    assert "unknown topic 'syria' (available: syria-turkey;" in unknown.stderr


def test_show_names_a_generic_sites_article_by_its_url(workdir: Path) -> None:
    """A generic site's articles have no numeric ID: with --site, ID is the article's key
    there, its canonical URL; two of them are told apart."""
    urls = ["https://blog.example/2024/03/one", "https://blog.example/2024/03/two"]
    with Store(mtwatch_env(workdir)["MTWATCH_DB_URL"]) as store:
        for n, url in enumerate(urls):
            rec = replace(sample_article(0, T0), site="blog", key=url, url=url,
                          headline=f"Blog story {n}")
            store.store_evaluated_many([Evaluated(rec, [replace(sample_match(0, T0),
                                                                site="blog", key=url)])],
                                       ["email"])
    for n, url in enumerate(urls):
        result = invoke(["show", url, "--site", "blog", "--format", "json"], workdir)
        assert result.exit_code == 0, result.output
        assert json.loads(result.stdout)["article"]["headline"] == f"Blog story {n}"
    result = invoke(["show", urls[0]], workdir)  # without --site, ID is the store's id
    assert result.exit_code == 2
    assert "--site" in result.stderr
