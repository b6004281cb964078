"""Tests for pipelines.matcher: the seed article, the labelled corpus and rule behaviours."""

from __future__ import annotations

import hashlib
import json
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from pathlib import Path

import pytest

from pipelines.matcher import (
    Document,
    Evidence,
    Matcher,
    Topic,
    TopicConfigError,
    Verdict,
    load_topic,
    load_topics,
)
from pipelines.matcher.segment import tokens
from tests.helpers.topics import with_opinion

ROOT = Path(__file__).resolve().parents[1]
TOPIC_FILE = ROOT / "config" / "topics" / "syria-turkey.toml"
SEED_FILE = Path(__file__).parent / "data" / "seeds" / "moscowtimes-a81087-syria-turkey-roadmap.md"
CORPUS = Path(__file__).parent / "data" / "matcher_dev.jsonl"
SEED_SENTENCE = (
    "Russia said on Wednesday that a roadmap to normalize ties between Syria and Turkey will "
    "be drafted following a meeting of their foreign ministers in Moscow."
)


@pytest.fixture(scope="module")
def topic() -> Topic:
    return load_topic(TOPIC_FILE)


@pytest.fixture(scope="module")
def matcher(topic: Topic) -> Matcher:
    return Matcher(topic, second_opinion=False)


def corpus() -> list[dict[str, str]]:
    with CORPUS.open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def document(row: dict[str, str]) -> Document:
    published = row.get("published")
    when = datetime.fromisoformat(published).replace(tzinfo=UTC) if published else None
    return Document(title=row["title"], subtitle="", body=row["text"], published=when)


def body(matcher: Matcher, text: str, published: datetime | None = None) -> Verdict:
    return matcher.evaluate(Document(title="", subtitle="", body=text, published=published))


def assert_offsets(doc: Document, items: tuple[Evidence, ...]) -> None:
    for item in items:
        assert getattr(doc, item.field)[item.start:item.end] == item.sentence


# --- the seed true positive -------------------------------------------------------------


def seed_body() -> str:
    text = SEED_FILE.read_text(encoding="utf-8")
    text = "Russia said on Wednesday" + text.split("Russia said on Wednesday", 1)[1]
    return text.split("Original url:", 1)[0].strip()


def test_seed_article_is_a_development_with_the_roadmap_sentence(matcher: Matcher) -> None:
    doc = Document(title="Russia Says Roadmap in the Works to Mend Syria-Turkey Ties",
                   subtitle="", body=seed_body(),
                   published=datetime(2023, 5, 10, 9, 0, tzinfo=UTC))
    verdict = matcher.evaluate(doc)
    assert verdict.matched
    assert verdict.grade == "development"
    assert verdict.topic == "syria-turkey"
    roadmap = [e for e in verdict.evidence if e.field == "body" and e.sentence == SEED_SENTENCE]
    assert len(roadmap) == 1
    assert doc.body[roadmap[0].start:roadmap[0].end] == SEED_SENTENCE
    assert {"roadmap", "normalize", "Syria", "Turkey"} <= set(roadmap[0].terms)
    assert_offsets(doc, verdict.evidence)
    assert_offsets(doc, verdict.near_misses)


# --- the labelled corpus ----------------------------------------------------------------


def scores(matcher: Matcher, rows: list[dict[str, str]]) -> tuple[float, float, list[str]]:
    wrong, tp, fp, fn = [], 0, 0, 0
    for row in rows:
        matched = matcher.evaluate(document(row)).matched
        positive = row["label"] == "positive"
        tp += matched and positive
        fp += matched and not positive
        fn += positive and not matched
        if matched != positive:
            wrong.append(row["id"])
    return tp / max(1, tp + fp), tp / max(1, tp + fn), wrong


def test_corpus_is_large_and_balanced_as_specified() -> None:
    rows = corpus()
    assert sum(r["label"] == "positive" for r in rows) >= 60
    assert sum(r["label"] == "negative" for r in rows) >= 80
    assert len({r["id"] for r in rows}) == len(rows)
    assert sum(r["split"] == "heldout" for r in rows) >= len(rows) // 5


def test_corpus_recall_is_total_and_precision_high(matcher: Matcher) -> None:
    rows = corpus()
    for split in ("dev", "heldout"):
        precision, recall, _ = scores(matcher, [r for r in rows if r["split"] == split])
        print(f"{split}: precision={precision:.3f} recall={recall:.3f}")
    precision, recall, wrong = scores(matcher, rows)
    assert recall == 1.0, wrong
    assert precision >= 0.95, wrong


def test_corpus_evidence_offsets_are_exact(matcher: Matcher) -> None:
    for row in corpus():
        doc = document(row)
        verdict = matcher.evaluate(doc)
        assert_offsets(doc, verdict.evidence)
        assert_offsets(doc, verdict.near_misses)
        assert verdict.matched == bool(verdict.evidence)


# --- surface forms ----------------------------------------------------------------------


@pytest.mark.parametrize("sentence", [
    "Turkey's foreign minister said normalization with Syria's government was under way.",
    "Türkiye’s talks with Syria’s government resumed on Monday.",
    "The Syria-Turkey rapprochement gathered pace.",
    "A Turkish-Syrian summit is planned for June.",
    "Syria–Turkey talks resumed in Moscow.",
    "ERDOĞAN AND ASSAD TO MEET IN MOSCOW.",
    "Çavuşoğlu met his Syrian counterpart in Belgrade.",
    "Erdog\u0306an met al-Assad’s envoy.",
    "Ankara and Damascus agreed to re\u00adopen embassies.",
    "Turkiye and Syria held talks.",
])
def test_surface_variants_match(matcher: Matcher, sentence: str) -> None:
    verdict = body(matcher, f"Other news first. {sentence} More news.")
    assert verdict.matched, sentence
    assert verdict.evidence[0].sentence == sentence


def test_word_boundaries_are_respected(matcher: Matcher) -> None:
    verdict = body(matcher, "Turkmenistan and Syriac churches held talks on normalizing ties.")
    assert not verdict.matched
    assert verdict.near_misses == ()


def test_title_only_and_subtitle_only_matches(matcher: Matcher) -> None:
    text = "The meeting was held behind closed doors. No details were released."
    headline = "Turkey, Syria Agree on Normalization Roadmap"
    for field in ("title", "subtitle"):
        doc = (Document(title=headline, body=text) if field == "title"
               else Document(subtitle=headline, body=text))
        verdict = matcher.evaluate(doc)
        assert verdict.matched
        assert [e.field for e in verdict.evidence] == [field]
        assert_offsets(doc, verdict.evidence)


def test_evidence_is_ordered_by_field_then_offset(matcher: Matcher) -> None:
    doc = Document(title="Erdogan, Assad to Meet", subtitle="Turkey and Syria hold talks",
                   body="Ankara and Damascus resumed talks. Then Turkey and Syria agreed.")
    keys = [(e.field, e.start) for e in matcher.evaluate(doc).evidence]
    assert [k[0] for k in keys] == ["title", "subtitle", "body", "body"]
    assert keys[2][1] < keys[3][1]


# --- possessive sides ------------------------------------------------------------------


def test_tokens_keep_the_possessive() -> None:
    text = "turkey's and syrians' ties with damascus' new rulers, don't"
    found = {t.word: t.possessive for t in tokens(text, 0, len(text))}
    assert found == {"turkey": True, "and": False, "syrians": True, "ties": False,
                     "with": False, "damascus": True, "new": False, "rulers": False,
                     "don": False}


@pytest.mark.parametrize("sentence", [
    "Moscow is adjusting to Türkiye's rapprochement with Syria's new leadership.",
    "The Kremlin pointed to Ankara's reconciliation with Damascus.",
    "Russia welcomed Turkey's normalization with Syria.",
    "Russia has played a key role in Turkey's talks with Syria.",
    "Officials pointed to Turkey's long-awaited rapprochement with Syria.",
    "According to Turkey's roadmap for normalization with Syria, ministers will meet.",
    "Much depends on Ankara's rapprochement with Damascus.",
    "Moscow has pressed for the Syrians' swift reconciliation with Ankara.",
    "Russia is adjusting to Turkey's new opening to Damascus.",
    "Diplomats noted a shift in Turkey's stance toward Damascus.",
    "Ankara's outreach to Damascus has gathered pace.",
    "Türkiye's pivot toward Syria's new rulers unsettled Moscow.",
    "The Kremlin pointed to Turkish-Syrian rapprochement as a success.",
    "Lavrov said progress in Turkey-Syria talks depended on a timetable.",
    "Attention has turned to Turkey and Syria's reconciliation.",
    "Thanks to Türkiye's long-awaited thaw with Syria, trucks are crossing again.",
    "A Syrian envoy delivered a letter to Turkey's president on normalization.",
])
def test_a_possessive_side_governing_a_cue_is_a_party(matcher: Matcher, sentence: str) -> None:
    verdict = body(matcher, f"Other news first. {sentence} More news.")
    assert verdict.matched, verdict.near_misses
    assert verdict.evidence[0].sentence == sentence


@pytest.mark.parametrize("sentence", [
    "Thousands fled to Turkey's border with Syria, and talks on access stalled.",
    "Aid workers met refugees in Turkey's south from Syria.",
    "Rescuers held talks with officials in Turkey's earthquake-hit provinces near Syria.",
    "The Pentagon discussed Turkey's strikes on Kurdish fighters in Syria with Ankara's "
    "defense minister.",
    "Turkey's talks with Armenia on normalization resumed, while Syria's foreign minister "
    "was in Moscow.",
    "Syrians deported from Turkey's Hatay province met reporters after their return to "
    "Syria's war-torn north.",
    "Erdogan's talks with Putin in Sochi focused on Syria's Idlib province.",
    "Lavrov's talks with Turkey's foreign minister covered the grain deal and Syria's "
    "reconstruction needs.",
    "Türkiye's pivot toward the Gulf has been matched by Syria's outreach to Saudi Arabia.",
    "Turkey's opening to Syrian trucks of the crossing eased shortages in Idlib.",
    "Putin held talks with Turkey's Erdogan and Syria's Assad.",
])
def test_possessive_places_and_third_parties_stay_negative(matcher: Matcher,
                                                           sentence: str) -> None:
    assert not body(matcher, sentence).matched, sentence


# --- grades and negation ----------------------------------------------------------------


@pytest.mark.parametrize("sentence", [
    "Senior Turkish officials ruled out normalization with Damascus.",
    "Erdogan said there would be no meeting with Assad.",
    "Erdogan said he could meet Assad at any moment.",
])
def test_negated_or_hedged_relation_is_a_mention(matcher: Matcher, sentence: str) -> None:
    verdict = body(matcher, sentence)
    assert verdict.matched
    assert verdict.grade == "mention"


def test_reported_event_is_a_development(matcher: Matcher) -> None:
    verdict = body(matcher, "The foreign ministers of Turkey and Syria held talks in Moscow.")
    assert verdict.grade == "development"
    assert verdict.rule == "contact-linked"


def test_strongest_rule_is_reported(matcher: Matcher) -> None:
    verdict = body(matcher, "Erdogan met Assad. Ankara and Damascus agreed a roadmap.")
    assert verdict.rule == "relation-linked"
    assert {e.rule for e in verdict.evidence} == {"relation-linked", "contact-linked"}


# --- time-bounded aliases ---------------------------------------------------------------


def test_assad_is_the_government_only_before_december_2024(matcher: Matcher) -> None:
    text = "Erdogan said on Friday that Assad should attend the summit."
    assert body(matcher, text).matched
    assert body(matcher, text, datetime(2023, 6, 1, tzinfo=UTC)).matched
    assert not body(matcher, text, datetime(2025, 6, 1, tzinfo=UTC)).matched


def test_sharaa_and_interim_government_count_only_after_december_2024(matcher: Matcher) -> None:
    for text in ("Erdogan met al-Sharaa in Ankara.",
                 "Turkey's ties with the interim government are being restored."):
        assert body(matcher, text).matched
        assert body(matcher, text, datetime(2025, 2, 4, tzinfo=UTC)).matched
        assert not body(matcher, text, datetime(2023, 2, 4, tzinfo=UTC)).matched


# --- exclusions and near-misses ---------------------------------------------------------


@pytest.mark.parametrize("sentence", [
    "Ankara and Damascus discussed refugee returns as part of normalization talks.",
    "Ankara and Damascus discussed joint action against Kurdish militants in talks.",
    "Earthquake diplomacy has boosted the rapprochement between Ankara and Damascus.",
    "Turkey hopes normalizing relations with Syria will let Syrian refugees return home.",
    "After normalizing ties with Israel and Egypt, Turkey now seeks a rapprochement with Syria.",
])
def test_exclusions_do_not_kill_true_positives(matcher: Matcher, sentence: str) -> None:
    assert body(matcher, sentence).matched, sentence


@pytest.mark.parametrize(("sentence", "reason"), [
    ("Turkish and Syrian rescue teams met at the border after the earthquake.", "earthquake"),
    ("Turkey and Syria both condemned the plan to normalize ties between Israel and "
     "Saudi Arabia.", "third party: Israel"),
    ("Turkey and Syria share a 900-kilometer border.", "no relation cue"),
    ("Putin and Erdogan held talks on Syria.", "not linking"),
])
def test_near_misses_are_recorded_with_a_reason(matcher: Matcher, sentence: str,
                                                reason: str) -> None:
    verdict = body(matcher, sentence)
    assert not verdict.matched
    assert len(verdict.near_misses) == 1
    assert reason in verdict.near_misses[0].reason
    assert verdict.near_misses[0].sentence == sentence


def test_documents_naming_one_side_are_skipped(matcher: Matcher) -> None:
    verdict = body(matcher, "Turkey's central bank moved to normalize policy. Talks went on.")
    assert verdict == Verdict("syria-turkey", verdict.rule_version, False)


def test_window_joins_a_cue_to_the_neighbouring_sentence(matcher: Matcher) -> None:
    text = ("Syria's new leader visited Saudi Arabia last week. Turkey's own rapprochement "
            "has been even swifter.")
    verdict = body(matcher, text, datetime(2025, 2, 10, tzinfo=UTC))
    assert verdict.rule == "relation-window"
    assert verdict.evidence[0].sentence == text


def _day(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


#: detection round 4: (text, published, matched), one case per construction it reads
ROUND4 = [
    pytest.param("Syria's new leader visited Saudi Arabia last week. Turkey's rapprochement "
                 "with its southern neighbor has been even swifter.", "2025-02-10", True,
                 id="its southern neighbor"),
    pytest.param("Сирия ждет инвестиций. Анкара не ставит условий для диалога с соседней "
                 "страной.", "2025-02-10", True, id="с соседней страной"),
    pytest.param("Turkey signed an energy deal with its southern neighbor. Prices fell.",
                 "2025-02-10", False, id="a neighbour the article does not name"),
    pytest.param("The new authorities buy their gas from Turkey, which agreed to double "
                 "supplies.", "2025-06-10", True, id="Turkey, which agreed"),
    pytest.param("Новые власти закупают газ у Турции, которая согласилась удвоить поставки.",
                 "2025-06-10", True, id="Турции, которая согласилась"),
    pytest.param("The new authorities buy gas from Turkey which they then resell.",
                 "2025-06-10", False, id="which without a comma"),
    pytest.param("Fidan held talks on Syria, which Ankara has long sought to stabilise.",
                 "2023-06-10", False, id="a topic before which stays a topic"),
    pytest.param("President Erdogan told Vladimir Putin in a call that the Syrian regime's "
                 "attacks had to stop. The Kremlin said the two leaders discussed the "
                 "situation in Syria.", "2020-02-21", False, id="the two leaders are Putin's"),
    pytest.param("Министр иностранных дел Турции на встрече с Сирийской национальной "
                 "коалицией в Анкаре заявил, что у Асада нет будущего.", "2020-02-21", False,
                 id="в Анкаре заявил is where, not whom"),
    pytest.param("Президент Сирии Башар Асад на встрече с российским спецпосланником назвал "
                 "Эрдогана вором, укравшим сирийские заводы.", "2019-10-30", False,
                 id="an insult told to a third party"),
    pytest.param("Syria's energy minister toured the gas station at Kilis. His Turkish "
                 "counterpart Alparslan Bayraktar said the line would carry 6 million cubic "
                 "metres a day.", "2025-08-02", True, id="his Turkish counterpart"),
    pytest.param("Министр энергетики Сирии осмотрел станцию в Килисе. Его турецкий коллега "
                 "Алпарслан Байрактар назвал встречу полезной.", "2025-08-02", True,
                 id="его турецкий коллега"),
    pytest.param("Turkey's energy minister toured the station. His Turkish deputy said Syria "
                 "needs gas.", "2025-08-02", False, id="his own side's deputy"),
    pytest.param("Syria's foreign minister criticized Turkey's presence in Afrin. Lavrov later "
                 "met his Turkish counterpart in Antalya.", "2025-08-02", False,
                 id="someone else's Turkish counterpart"),
    pytest.param("Министр экономики Сирии, посетивший на прошлой неделе Анкару, пригласил "
                 "инвесторов в Дамаск.", "2025-05-20", True, id="a time phrase before the object"),
    pytest.param("Syria's interim president named a cabinet. The government said on Sunday it "
                 "had agreed with Ankara on a timetable.", "2025-03-30", True,
                 id="a weekday is no office's owner"),
    pytest.param("Главная оппозиционная партия Турции, Республиканская народная партия, "
                 "представила программу. Партия обещает открыть посольство в Дамаске.",
                 "2025-03-30", True, id="Turkey's main opposition party"),
    pytest.param("Турецкие чиновники и Ахмед аш-Шараа стояли в аэропорту. Более трех часов "
                 "лидеры обсуждали оборонный пакт.", "2025-02-07", True,
                 id="лидеры after a short opening"),
    pytest.param("Турецкие чиновники и Ахмед аш-Шараа стояли в аэропорту. Вчера лидеры ЕС "
                 "обсуждали оборонный пакт.", "2025-02-07", False, id="лидеры ЕС"),
    pytest.param("Turkish Foreign Minister Hakan Fidan arrived in Doha for talks. Qatari "
                 "officials said the visit would cover Syria. The top diplomat is due in "
                 "Damascus on Friday.", "2025-03-13", True, id="the top diplomat"),
    pytest.param("FIFA extended the mandate of the normalisation committee running the Syrian "
                 "Football Association. Syria will play Turkey in a friendly next month.",
                 "2023-10-04", False, id="a federation's normalisation committee"),
    pytest.param("Turkey's interior ministry said citizens may now enter Syria with a "
                 "passport. Officials called the decision part of the normalization.",
                 "2025-08-21", True, id="a cue after one party and one place"),
    pytest.param("Refugees returned to Syria from Turkey. Officials called it part of the "
                 "normalization.", "2025-08-21", False, id="a cue after places only"),
    pytest.param("Sharaa, on his second trip abroad, was welcomed by Erdogan in Ankara.",
                 "2025-02-04", True, id="welcomed by an official"),
    pytest.param("Saudi Arabia and Iran agreed to restore ties in a step hosted by China and "
                 "welcomed by Turkey and Syria alike.", "2023-03-11", False,
                 id="a step welcomed by both"),
    pytest.param("Эрдоган по телефону присоединился к встрече Трампа и аш-Шараа в Эр-Рияде.",
                 "2025-05-14", True, id="в Эр-Рияде is a venue"),
    pytest.param("Путин предложил использовать Аданское соглашение 1998 года как основу для "
                 "сотрудничества Турции и Сирии.", "2019-01-23", True, id="как основу"),
    pytest.param("Министр иностранных дел Сирии принял участие в Анталийском дипломатическом "
                 "форуме.", "2025-04-11", True, id="a forum in a Turkish city"),
]


@pytest.mark.parametrize(("text", "published", "matched"), ROUND4)
def test_round4_constructions(matcher: Matcher, text: str, published: str,
                              matched: bool) -> None:
    assert body(matcher, text, _day(published)).matched is matched


# --- determinism, serialization, versioning ---------------------------------------------


def test_evaluation_is_deterministic(topic: Topic, matcher: Matcher) -> None:
    doc = document(corpus()[0])
    first = matcher.evaluate(doc)
    assert first == matcher.evaluate(doc)
    assert first == Matcher(topic).evaluate(doc)


def test_one_matcher_can_serve_many_threads(matcher: Matcher) -> None:
    docs = [document(row) for row in corpus()]
    expected = [matcher.evaluate(doc) for doc in docs]
    with ThreadPoolExecutor(max_workers=8) as pool:
        assert list(pool.map(matcher.evaluate, docs * 2)) == expected * 2


def test_to_dict_is_json_ready(matcher: Matcher) -> None:
    data = body(matcher, "Turkey and Syria held talks.").to_dict()
    assert set(data) == {"topic", "rule_version", "matched", "grade", "rule", "evidence",
                         "near_misses"}
    assert json.loads(json.dumps(data)) == data
    assert data["evidence"][0]["terms"] == ["Turkey", "Syria", "talks"]


def test_rule_version_hashes_the_file_and_its_model(topic: Topic) -> None:
    assert topic.second_opinion is not None
    raw = TOPIC_FILE.read_bytes()
    model = hashlib.sha256(Path(topic.second_opinion.path).read_bytes()).hexdigest()
    digest = hashlib.sha256(raw + model.encode()).hexdigest()
    assert topic.rule_version == f"{topic.version}:{digest[:12]}"
    rules = load_topic(TOPIC_FILE, second_opinion=False)
    assert rules.second_opinion is None
    assert rules.rule_version == f"{topic.version}:{hashlib.sha256(raw).hexdigest()[:12]}"


# --- configuration errors ---------------------------------------------------------------


def test_load_topics_reads_a_directory_sorted(tmp_path: Path) -> None:
    text = TOPIC_FILE.read_text(encoding="utf-8")
    with_opinion(tmp_path)
    (tmp_path / "b.toml").write_text(text.replace('id = "syria-turkey"', 'id = "b"'), "utf-8")
    (tmp_path / "a.toml").write_text(text.replace('id = "syria-turkey"', 'id = "a"'), "utf-8")
    assert [t.id for t in load_topics(tmp_path)] == ["a", "b"]
    assert [t.id for t in load_topics(TOPIC_FILE.parent)] == ["syria-turkey"]


@pytest.mark.parametrize(("change", "key"), [
    (lambda t: t + "\nthis is = = not toml\n", "invalid TOML"),
    (lambda t: t.replace('version = "1"', "version = 1"), "version"),
    (lambda t: t.replace('pair_gap = 3', 'pair_gap = "3"'), "windows.pair_gap"),
    (lambda t: t.replace('until = 2024-12-08', 'until = "soon"'),
     "entities.syria.aliases[0].until"),
    (lambda t: t.replace('bindings = ["tight"]', 'bindings = ["close"]'), "rules[0].bindings"),
    (lambda t: t.replace('exclusions = ["earthquake"]\n', 'exclusions = ["quake"]\n', 1),
     "rules[1].exclusions"),
    (lambda t: t.replace('\n[grades]\n', '\n[grades]\nspeling = ["x"]\n'), "grades.speling"),
    (lambda t: t.replace('\n[[rules]]\n', '\n[[rulez]]\n', 1), "rulez"),
    (lambda t: t.replace("possessor_gap = 2", "possessor_gap = -1"), "cues.strong.possessor_gap"),
    (lambda t: t.replace('apart = ["earthquake", "hostility"]',
                         'apart = ["quakes", "hostility"]'), "coreference.apart"),
    (lambda t: t.replace('side = "syria"', 'side = "iraq"'), "coreference.defaults"),
    (lambda t: t.replace('side = "syria"', 'side = "syria"\nsides = 2'),
     "coreference.defaults[0].sides"),
])
def test_bad_topic_file_raises_a_one_line_error(tmp_path: Path, change: object, key: str) -> None:
    path = tmp_path / "broken.toml"
    with_opinion(tmp_path)
    path.write_text(change(TOPIC_FILE.read_text(encoding="utf-8")), "utf-8")  # type: ignore[operator]
    with pytest.raises(TopicConfigError) as info:
        load_topic(path)
    message = str(info.value)
    assert "broken.toml" in message
    assert key in message
    assert "\n" not in message
    assert isinstance(info.value, ValueError)


def test_duplicate_topic_ids_and_missing_files_raise(tmp_path: Path) -> None:
    text = TOPIC_FILE.read_text(encoding="utf-8")
    with_opinion(tmp_path)
    (tmp_path / "one.toml").write_text(text, "utf-8")
    (tmp_path / "two.toml").write_text(text, "utf-8")
    with pytest.raises(TopicConfigError, match=r"two\.toml"):
        load_topics(tmp_path)
    with pytest.raises(TopicConfigError, match=r"missing\.toml"):
        load_topic(tmp_path / "missing.toml")


# --- venues and fresh cues ---------------------------------------------------------------


@pytest.mark.parametrize(("sentence", "matched"), [
    ("The Syrian and Turkish leaders met at a summit in Baku.", True),
    ("Erdogan and Assad held talks in Tehran.", True),
    ("Armenia and Turkey held normalization talks in Vienna while Syria watched.", False),
    ("Turkey's foreign minister flew to Damascus on Sunday.", True),
    ("Ankara and Damascus are closer than ever, a diplomat said.", True),
    ("Erdogan flew to Baku for talks with Aliyev; Syria was not discussed.", False),
])
def test_a_third_country_as_venue_is_not_a_party(matcher: Matcher, sentence: str,
                                                  matched: bool) -> None:
    assert body(matcher, sentence).matched is matched, sentence
