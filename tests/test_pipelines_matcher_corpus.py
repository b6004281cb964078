"""The corpus gate (bar row B7; issue 12): the labelled corpus, dev and held-out.

Ninety-five files, written for this project (tests/data/README.md is the label rule):
``matcher_dev.jsonl`` and ``corpus.jsonl`` (the first rules' corpora, with a few held-out
rows each), ``dev_2026.jsonl`` (issue 12's development rows), ``dev_blind.jsonl`` to
``dev_blind92.jsonl`` (development rows written blind to the rules, each held to a floor) and
``heldout.jsonl`` (issue 12's held-out split, written apart from the rules and never tuned
on).

Development rows must all be found (recall 1.0) except the excused ones below, each with the
reason the rules do not model it. The held-out split must reach recall 0.98 at precision
0.95; its figures are printed per language and per kind, with the ids of the misses only —
never their text (a row shown to a rule author is burned, see the README). The development
rows taught the topic's learned second opinion (pipelines/matcher/opinion.py), so they are
held to their floors by the rules alone; the held-out split, which taught nothing, measures
the whole topic.
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from pipelines.matcher import Document, Evidence, Matcher, load_topic
from tests.helpers.topics import SYRIA_TURKEY

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "tests" / "data"
#: development rows written blind to the rules (tests/data/README.md), one file per writer:
#: not held to total recall like the rows written by the rule authors, but to the floor the
#: rules reached (recall, precision; they may only go up). Each file was measured once under
#: the rules of its day before any round tuned on it; those "before" figures are in comments.
BLIND_FLOORS: dict[str, tuple[float, float]] = {
    # round 10's guide; before it (round-9 rules) recall 0.903, precision 0.955
    "dev_blind.jsonl": (0.989, 1.0),
    # headline-only, coreference by titles and nationalities, hard negatives; round 11's
    # guide; before it (round-10 rules) 0.804, 0.938
    "dev_blind2.jsonl": (0.928, 1.0),
    # nominalised and passive meetings, deep mentions, headline-only colon and quote titles;
    # round 13's guide; before it (round-12 rules) 0.818, 0.900; after round 23 (grain
    # shipments in 2025 no Black Sea deal's) recall 55 of 55
    "dev_blind3.jsonl": (1.0, 1.0),
    # Russian-wire style: mediation, multi-party formats, coreference, post-2024 steps; round
    # 13's guide; before it (round-12 rules, and round 13's before any change for it) 0.921,
    # 0.906
    "dev_blind4.jsonl": (1.0, 1.0),
    # Gulf, Turkish domestic and Russian business press: op-eds, Q&A, timelines, live blogs;
    # under the round-13 rules, which had not seen it (round 14, tuned on it, not adopted);
    # round 18 (not tuned on it): recall 56 of 56, precision 56 of 60 = 0.9333
    "dev_blind5.jsonl": (1.0, 0.933),
    # digests, flashes, long sentences, unusual relation words and side names; as dev_blind5;
    # after round 20 (not tuned on it; time spent "more than six hours with") recall 56 of 59
    "dev_blind6.jsonl": (0.949, 0.982),
    # The Moscow Times' Russia angle: readouts, briefings, bases, analysts' quotes; round 15's
    # guide; before it (round-13 rules) recall 0.979, precision 47 of 52 = 0.9038
    "dev_blind7.jsonl": (1.0, 1.0),
    # the two sides' state media: protocol language, ministry press releases; round 15's
    # guide; before it (round-13 rules) 1.0, 0.96
    "dev_blind8.jsonl": (1.0, 1.0),
    # long articles: coreference across sentences, deep mentions in stories about something
    # else; round 15's guide; before it (round-13 rules, and round 15's before any change
    # for it) 54 of 58 both ways, 0.931
    "dev_blind9.jsonl": (1.0, 1.0),
    # fast-reach forms: headline-only, briefings, live blogs, transcripts, leader meetings;
    # kept from round 15's author; before it (round-13 rules) 55 of 58 both ways; after it
    # precision 55 of 57 = 0.9649; round 16's guide: after it recall 57 of 58 = 0.9828,
    # precision 57 of 57
    "dev_blind10.jsonl": (0.982, 1.0),
    # an analyst's month of feed in five years, half Russian press style; kept from round
    # 15's author, unchanged by it (recall 56 of 59, precision 56 of 58 = 0.9655); round
    # 16's guide: after it recall 57 of 59 = 0.9661, precision 57 of 58 = 0.9828
    "dev_blind11.jsonl": (0.966, 0.982),
    # the two sides' own English press and regional English outlets; under the round-15
    # rules, before any round tuned on it (recall 57 of 60, precision 57 of 58 = 0.9828);
    # kept from round 16's author: after it recall 58 of 60 = 0.9667; unchanged by round 17
    "dev_blind12.jsonl": (0.966, 0.982),
    # people talking: interviews, press conferences, speeches, rallies, analysts' quotes; as
    # dev_blind12 (recall 53 of 60 = 0.8833, no false alarm); unchanged by round 16; round
    # 17's guide with dev_blind12 (unchanged by it): after it recall 56 of 60 = 0.9333
    "dev_blind13.jsonl": (0.933, 1.0),
    # quotes, headline quotes, idioms, denials, Q&A; under the round-16 rules, before any round
    # tuned on it, 53 of 56 and 53 of 56 = 0.9464; kept from round 17's author: after it
    # recall 54 of 56 = 0.9643, precision 54 of 57 = 0.9474
    "dev_blind15.jsonl": (0.964, 0.947),
    # Russian agency style, the relation across sentences; as dev_blind15, unchanged by round
    # 17 (recall 56 of 58 = 0.9655, no false alarm); after round 23 («в ведомстве») recall
    # 57 of 58 = 0.9828
    "dev_blind16.jsonl": (0.982, 1.0),
    # long articles: coreference and affiliation across sentences; round 18's guide; before it
    # (round-17 rules) recall 53 of 63 = 0.841, precision 53 of 59 = 0.898; round 19 (the
    # premier's chargé d'affaires found, the Damascus-SDF deal no venue): 63 of 63 both ways
    "dev_blind17.jsonl": (1.0, 1.0),
    # post-2024 ties told in passing, multi-party; round 18's guide; before it (round-17
    # rules) recall 59 of 61 = 0.967, precision 59 of 60 = 0.983
    "dev_blind18.jsonl": (1.0, 1.0),
    # kept back from round 18 (four writers, general angles; under the round-17 rules, before
    # any round tuned on them): an MT and agency reader's sample of 2012-2026, recall 56 of
    # 56, precision 56 of 59 = 0.9492; round 19's guide: after it 56 of 56 both ways
    "dev_blind19.jsonl": (1.0, 1.0),
    # wire copy and regional press, 2011-2026: 67 of 68 both ways = 0.9853; round 19's
    # guide: after it 68 of 68 both ways
    "dev_blind20.jsonl": (1.0, 1.0),
    # long reads: analyses, reviews, newsletters: recall 53 of 56 = 0.9464, precision 53 of
    # 55 = 0.9636; after round 18 (one coreference found) recall 54 of 56 = 0.9643; round
    # 19's guide: after it 56 of 56 both ways
    "dev_blind21.jsonl": (1.0, 1.0),
    # the region's own press, 2018-2026: recall 61 of 63 = 0.9683, precision 61 of 62 = 0.9839;
    # round 19's guide: after it 63 of 63 both ways
    "dev_blind22.jsonl": (1.0, 1.0),
    # written after round 18 to look for a Russian verdict it lost (none found: the same
    # verdicts under the round-17 and round-18 rules): Russian agency style with attributions,
    # recall 51 of 52 = 0.9808, no false alarm; after round 21 (a treaty, «договор») 52 of 52
    "dev_blind23.jsonl": (1.0, 1.0),
    # the Russian-language press beyond the agencies: recall 50 of 53 = 0.9434, precision 50
    # of 52 = 0.9615; after round 20 (the Amman format and «новая глава» found, a demand
    # told to Putin no contact) recall 52 of 53 = 0.9811, precision 52 of 53; after round 21
    # (a rupture in a headline) recall 53 of 53, precision 53 of 54 = 0.9815; after round 22
    # (mediation in a country no party) precision 53 of 53
    "dev_blind24.jsonl": (1.0, 1.0),
    # written while round 19 was, kept back from it: international English coverage with
    # Russian agency copy; under the round-18 rules recall 52 of 53 = 0.9811, precision 52 of
    # 53; after round 19 (a false alarm fewer) precision 52 of 52
    "dev_blind25.jsonl": (0.981, 1.0),
    # an analyst's monitoring feed; under the round-18 and round-19 rules recall 48 of 49 =
    # 0.9796, no false alarm; after round 20 (a minister «приезжавший на Дамасскую
    # ярмарку» found) 49 of 49
    "dev_blind26.jsonl": (1.0, 1.0),
    # long articles about something else with the relation deep inside (round 20's guide);
    # under the round-19 rules recall 54 of 58 = 0.931, precision 54 of 56 = 0.9643; after
    # round 20 recall 58 of 58, precision 58 of 59 = 0.9831
    "dev_blind27.jsonl": (1.0, 0.983),
    # coreference and headlines, Russian agency style and English wire copy (round 20's
    # guide); under the round-19 rules recall 54 of 56 = 0.9643, precision 54 of 56; after
    # round 20 55 of 56 both ways = 0.9821; after round 21 (an encounter between the two
    # governments' ministers) recall 56 of 56, precision 56 of 57 = 0.9825
    "dev_blind28.jsonl": (1.0, 0.982),
    # the Russian press beyond the big agencies, Turkish and Arab press in English (round
    # 20's guide); under the round-19 rules recall 54 of 59 = 0.9153, no false alarm; after
    # round 20 59 of 59, no false alarm
    "dev_blind30.jsonl": (1.0, 1.0),
    # a general reader's sample of The Moscow Times and the wires, 2011-2026; kept back from
    # round 20 (no verdict changed by it); under the round-19 and round-20 rules recall 64 of
    # 67 = 0.9552, precision 64 of 69 = 0.9275; round 21's guide, after it recall 67 of 67,
    # no false alarm
    "dev_blind29.jsonl": (1.0, 1.0),
    # 2025-2026 after Assad's fall as a monitoring analyst meets it; kept back from round 20
    # (no verdict changed by it); under the round-19 and round-20 rules recall 55 of 57 =
    # 0.9649, no false alarm; round 21's guide, after it recall 57 of 57
    "dev_blind31.jsonl": (1.0, 1.0),
    # three general samples written while round 21 was, kept back from rounds 20 and 21:
    # English wire and newspaper coverage 2011-2026; under the round-19 rules recall 62 of
    # 63 = 0.9841, precision 62 of 64 = 0.9688; round 22's guide, after it recall 63 of 63,
    # no false alarm
    "dev_blind32.jsonl": (1.0, 1.0),
    # a Russian-language reader's sample; recall 57 of 59 = 0.9661, precision 57 of 59; after
    # round 21 (with 20; a deep mention found) recall 58 of 59 = 0.9831, precision 58 of 60;
    # round 22's guide, after it recall 59 of 59, no false alarm
    "dev_blind33.jsonl": (1.0, 1.0),
    # the hard cases an analyst argues about; recall 57 of 59 = 0.9661, precision 57 of 59;
    # round 22's guide, after it recall 59 of 59, precision 59 of 60 = 0.9833
    "dev_blind34.jsonl": (1.0, 0.983),
    # three more written while round 22 was, kept back from it, measured first under the
    # round-21 rules: deep mentions and coreference in ordinary news, recall 54 of 57 =
    # 0.9474, precision 54 of 58 = 0.9310; round 23's guide, after it recall 56 of 57 =
    # 0.9825, precision 56 of 58 = 0.9655
    "dev_blind35.jsonl": (0.982, 0.965),
    # a general sample of The Moscow Times and the wires, 2011-2026: recall 60 of 63 =
    # 0.9524, precision 60 of 61 = 0.9836; round 23's guide, after it recall 62 of 63 =
    # 0.9841, no false alarm
    "dev_blind36.jsonl": (0.984, 1.0),
    # post-2024 ties in passing and multi-party formats: recall 58 of 59 = 0.9831, precision
    # 58 of 60 = 0.9667; round 23's guide, after it recall 59 of 59, precision 59 of 60 =
    # 0.9833
    "dev_blind37.jsonl": (1.0, 0.983),
    # three more written while round 23 was, kept back from it (and from round 22, which
    # changed none of their verdicts), measured first under the round-21 rules: stories about
    # another subject touching the relation, recall 63 of 67 = 0.9403, precision 63 of 65 =
    # 0.9692; after round 23 (with 22; a deep mention found) recall 64 of 67 = 0.9552,
    # precision 64 of 66 = 0.9697
    "dev_blind38.jsonl": (0.955, 0.969),
    # a general reader's sample, 2011-2026: 59 of 59 both ways
    "dev_blind39.jsonl": (1.0, 1.0),
    # Russian-language coverage first: recall 58 of 59 = 0.9831, precision 58 of 59
    "dev_blind40.jsonl": (0.983, 0.983),
    # written for the second opinion's first relearning, measured once before it and before
    # any rule saw them; the rules alone (the figures held here), then the rules with the
    # second opinion learned without them: long articles, coreference: 59 of 60, precision
    # 59 of 61 = 0.9672 (the same with it)
    "dev_blind41.jsonl": (0.983, 0.967),
    # a general reader's sample, post-2024 steps: 58 of 59, precision 1.0 (with it 59 of 59)
    "dev_blind42.jsonl": (0.983, 1.0),
    # Russian coverage first, multi-party formats: 57 of 60 = 0.95, precision 57 of 58 =
    # 0.9828 (with it 60 of 60, precision 60 of 61)
    "dev_blind43.jsonl": (0.95, 0.982),
    # hard cases both ways: 61 of 62 = 0.9839 both ways (with it precision 61 of 63)
    "dev_blind44.jsonl": (0.983, 0.983),
    # written for its second relearning, measured the same way (the second opinion learned
    # with dev_blind41-44, without these): Russian long reads, coreference: 58 of 59,
    # precision 58 of 61 = 0.9508 (with it 59 of 59, precision 59 of 63)
    "dev_blind45.jsonl": (0.983, 0.95),
    # 2025-2026 monitoring: 56 of 57 = 0.9825, precision 56 of 59 = 0.9492 (with it 57 of
    # 57, precision 57 of 60)
    "dev_blind46.jsonl": (0.982, 0.949),
    # English wire copy and newspapers: 65 of 65, precision 65 of 67 = 0.9701 (the same)
    "dev_blind47.jsonl": (1.0, 0.97),
    # precision stress: 55 of 56 = 0.9821, precision 55 of 57 = 0.9649 (with it 56 of 56,
    # precision 56 of 58)
    "dev_blind48.jsonl": (0.982, 0.964),
    # written for round 24 and the third relearning, measured first under the round-23
    # rules and the model learned with dev_blind41-48: long stories with one deep mention,
    # 59 of 60, precision 59 of 63 (the same with it); round 24, after it 60 of 60,
    # precision 60 of 64 = 0.9375
    "dev_blind49.jsonl": (1.0, 0.937),
    # Russian wire style: 54 of 57 (with it 55 of 57, one false alarm); after round 24 the
    # rules alone 55 of 57 = 0.9649, no false alarm
    "dev_blind50.jsonl": (0.964, 1.0),
    # coreference across sentences: 51 of 59 = 0.8644, precision 51 of 54 = 0.9444 (the same
    # with it and after round 24: the class left to the rules' next round)
    "dev_blind51.jsonl": (0.864, 0.944),
    # 2025-2026 practical ties: 61 of 65 (with it 64 of 65), no false alarm; after round 24
    # the rules alone 62 of 65 = 0.9538 (with it 65 of 65)
    "dev_blind52.jsonl": (0.953, 1.0),
    # written for round 25 and measured first under round 24 with its model: the first part
    # of round 25 changed none of their verdicts, its second part was tuned on them.
    # Coreference in English wire copy: 56 of 57 = 0.9825, precision 56 of 60 = 0.9333 (the
    # same with it and after round 25)
    "dev_blind53.jsonl": (0.982, 0.933),
    # Russian coreference: 55 of 59 (with it 56); after round 25 the rules alone 57 of 59 =
    # 0.9661, no false alarm (with it 58 of 59)
    "dev_blind54.jsonl": (0.966, 1.0),
    # a general sample, 2015-2026: 62 of 65 = 0.9538, no false alarm (with it 63 of 65)
    "dev_blind55.jsonl": (0.953, 1.0),
    # deep mentions in long stories: 56 of 61 = 0.9180, precision 56 of 59 = 0.9492 (with it
    # 60 of 61, precision 60 of 63)
    "dev_blind56.jsonl": (0.918, 0.949),
    # written while round 25 was and kept back from it, measured under round 24 with its
    # model and again under round 25 with the model learned with dev_blind53-56: the same
    # verdicts. English wire copy: 58 of 58, no false alarm
    "dev_blind57.jsonl": (1.0, 1.0),
    # precision stress: 54 of 59 = 0.9153, precision 54 of 56 = 0.9643 (with it 59 of 59,
    # precision 59 of 61)
    "dev_blind58.jsonl": (0.915, 0.964),
    # Russian coverage: 57 of 60 = 0.95, precision 57 of 58 = 0.9828 (with it 58 of 60)
    "dev_blind59.jsonl": (0.95, 0.982),
    # multi-party formats: 55 of 57 = 0.9649, precision 55 of 57 (the same with it)
    "dev_blind60.jsonl": (0.964, 0.964),
    # written for round 26 and measured first under round 25 with its model; round 26 was
    # tuned on them (figures below: the round-26 rules alone, then with the model learned
    # before they were added). Deep mentions in long English stories: 55 of 57 = 0.9649,
    # precision 55 of 56 (round 25: 53 of 57; with it 56 of 57)
    "dev_blind61.jsonl": (0.964, 0.982),
    # deep mentions in long Russian stories: 54 of 57 = 0.9474, no false alarm (with it 55)
    "dev_blind62.jsonl": (0.947, 1.0),
    # English coreference: 49 of 57 = 0.8596, precision 49 of 53 = 0.9245 (round 25: 46 of
    # 57; with it 57 of 57, precision 57 of 62)
    "dev_blind63.jsonl": (0.859, 0.924),
    # Russian coreference: 37 of 57 = 0.6491, precision 37 of 42 = 0.8810 (round 25: 34 of
    # 57; with it 45 of 57)
    "dev_blind64.jsonl": (0.649, 0.88),
    # written with them and kept back from round 26 (measured under round 25, then under
    # round 26 with the model learned before they were added). A general sample: 54 of 57 =
    # 0.9474, precision 54 of 59 = 0.9153 (with it 57 of 57)
    "dev_blind65.jsonl": (0.947, 0.915),
    # 2025-2026 ties: 52 of 58 = 0.8966, precision 52 of 53 (round 25: 51; with it 55)
    "dev_blind66.jsonl": (0.896, 0.981),
    # precision stress: 46 of 50 = 0.92, precision 46 of 55 = 0.8364 (with it 48 of 50,
    # precision 48 of 58)
    "dev_blind67.jsonl": (0.92, 0.836),
    # the Russian angle: 58 of 61 = 0.9508, precision 58 of 62 = 0.9355 (round 25: 57; with
    # it 59)
    "dev_blind68.jsonl": (0.95, 0.935),
    # written while rounds 26 and 27 were, measured under both (the same verdicts, row for
    # row), then read for round 28 (figures: the round-28 rules alone, then with the model
    # learned before they were added). Deep mentions in long business and regional stories:
    # 56 of 58 = 0.9655, precision 56 of 58 (with it 57 of 58)
    "dev_blind69.jsonl": (0.965, 0.965),
    # coreference by nicknames, buildings, acronyms and quotes: 41 of 58 = 0.7069, precision
    # 41 of 42 (rounds 26 and 27: 38 of 58; with it 48 of 58)
    "dev_blind70.jsonl": (0.706, 0.976),
    # a general sample, 2022-2026: 55 of 57 = 0.9649, no false alarm (rounds 26 and 27: 54)
    "dev_blind71.jsonl": (0.964, 1.0),
    # multi-party formats and mediation: 48 of 57 = 0.8421, precision 48 of 53 = 0.9057
    # (with it 54 of 57)
    "dev_blind72.jsonl": (0.842, 0.905),
    # ordinary news, written after round 28 and the second opinion reading the sentences
    # naming one side, measured under both before use (with it: 226 of 230, precision 226 of
    # 233). Deep mentions in English copy: 53 of 57 = 0.9298, precision 53 of 55 = 0.9636
    # (with it 55 of 57)
    "dev_blind73.jsonl": (0.929, 0.963),
    # deep mentions in Russian copy: 55 of 57 = 0.9649, precision 55 of 58 = 0.9483 (with it
    # 56 of 57, one found by reading the sentences naming one side)
    "dev_blind74.jsonl": (0.964, 0.948),
    # coreference as wire copy writes it: 54 of 58 = 0.9310, precision 54 of 55 = 0.9818
    # (with it 57 of 58)
    "dev_blind75.jsonl": (0.931, 0.981),
    # a representative Moscow Times sample: 57 of 58 = 0.9828, precision 57 of 58 (with it
    # 58 of 58)
    "dev_blind76.jsonl": (0.982, 0.982),
    # written after round 28, measured under it before use (with the second opinion: 222 of
    # 228, precision 222 of 231); round 29 was read from the second and third only.
    # Deep mentions in business copy: 55 of 57 = 0.9649, precision 55 of 58 = 0.9483
    # (with it 57 of 57)
    "dev_blind77.jsonl": (0.964, 0.948),
    # Russian wire copy, coreference and deep mentions: 52 of 57 = 0.9123, precision 52 of
    # 53 = 0.9811 (under round 28: 50 of 57; with the second opinion 56 of 57)
    "dev_blind78.jsonl": (0.912, 0.981),
    # the regional press, coreference across sentences: 52 of 57 = 0.9123, precision 52 of
    # 54 = 0.9630 (under round 28: 49 of 57, precision 49 of 52; with it 55 of 57)
    "dev_blind79.jsonl": (0.912, 0.962),
    # short wire briefs and digests, every kind: 55 of 57 = 0.9649, precision 55 of 57
    # (with it 57 of 57)
    "dev_blind80.jsonl": (0.964, 0.964),
    # written after round 29, measured under it before use (with the second opinion: 221 of
    # 232, precision 221 of 235); round 30 was read from the second only.
    # Deep mentions in asides of world news: 47 of 57 = 0.8246, precision 47 of 49 = 0.9592
    # (with it 52 of 57)
    "dev_blind81.jsonl": (0.824, 0.959),
    # deep mentions in Russian business and political copy: 51 of 57 = 0.8947, precision 51
    # of 53 = 0.9623 (under round 29: 50 of 57; with it 54 of 57)
    "dev_blind82.jsonl": (0.894, 0.962),
    # coreference by nicknames, titles and "the host"/"the visitor": 54 of 57 = 0.9474,
    # precision 54 of 59 = 0.9153 (with it 56 of 57, precision 56 of 62)
    "dev_blind83.jsonl": (0.947, 0.915),
    # an analyst's feed, every kind twice: 59 of 61 = 0.9672, precision 59 of 63 = 0.9365
    # (with it the same)
    "dev_blind84.jsonl": (0.967, 0.936),
    # written after round 30, measured under it before use (with the second opinion: 223 of
    # 227, precision 223 of 231); round 31 was read from the second and third only.
    # Russian wire digests with the relation one line among others: 54 of 57 = 0.9474,
    # precision 54 of 55 = 0.9818 (with it 57 of 57)
    "dev_blind85.jsonl": (0.947, 0.981),
    # long reads, asides and nicknames: 54 of 57 = 0.9474, precision 54 of 56 = 0.9643
    # (under round 30: 50 of 57, precision 50 of 52; with it 57 of 57)
    "dev_blind86.jsonl": (0.947, 0.964),
    # the regional press: itineraries, guest lists, sessions of three or more: 55 of 57 =
    # 0.9649, precision 55 of 57 (under round 30: 54 of 57, precision 54 of 57; with it 56
    # of 57)
    "dev_blind87.jsonl": (0.964, 0.964),
    # an analyst's feed in the held-out's style: 55 of 56 = 0.9821, precision 55 of 57 =
    # 0.9649 (with it 56 of 56)
    "dev_blind88.jsonl": (0.982, 0.964),
    # written after round 31, measured under it before use (with the second opinion: 222 of
    # 227, precision 222 of 237); round 32 was read from the second and fourth only.
    # Deep mentions in stories on something else: 55 of 56 = 0.9821, precision 55 of 56
    # (with it 56 of 56)
    "dev_blind89.jsonl": (0.982, 0.982),
    # Russian coverage, indirect: 53 of 58 = 0.9138, precision 53 of 54 = 0.9815 (under
    # round 31: precision 53 of 57; with it 57 of 58)
    "dev_blind90.jsonl": (0.913, 0.981),
    # long sentences, participles and appositions: 54 of 57 = 0.9474, precision 54 of 56 =
    # 0.9643 (with it 55 of 57)
    "dev_blind91.jsonl": (0.947, 0.964),
    # a second analyst's feed, keyword traps: 52 of 56 = 0.9286, precision 52 of 58 = 0.8966
    # (under round 31: precision 52 of 59; with it 54 of 56)
    "dev_blind92.jsonl": (0.928, 0.896),
}
BLIND = tuple(DATA / name for name in BLIND_FLOORS)
FILES = tuple(DATA / name for name in ("matcher_dev.jsonl", "corpus.jsonl", "dev_2026.jsonl",
                                       *BLIND_FLOORS, "heldout.jsonl"))
CUTOFF = "2024-12-08"
HELDOUT_RECALL, HELDOUT_PRECISION = 0.98, 0.95

#: issue 12's classes, by the kinds that stand for them in the dev and held-out files
CLASSES = {
    "multi-party formats": {"multi_party"},
    "post-2024 visits, firsts, steps": {"post2024_ties", "visit_first", "practical_step",
                                         "in_passing"},
    "coreference": {"coreference", "last_sentence"},
    "historic treaties (false alarms)": {"historic_treaty"},
    "hostile contacts (false alarms)": {"hostile_contact"},
    "institution names (false alarms)": {"institution_name"},
}
TRAP_KINDS = {"earthquake", "refugees", "kurds", "grain", "armenia_turkey", "israel_saudi",
              "arab_league", "syria_only", "turkey_only"}

#: development rows the rules do not model yet, and why (the README's "Known blind spots")
EXCUSED = {
    "d26-en-312": "'a framework for Turkey and Syria': a country after 'for' is read as a "
                  "place ('aid for Turkey'), so the pair is no party of the plan",
    # round 4 rows, written before the rules changed (see tests/data/README.md)
    "d26-ru-355": "'Депутаты также … одобрили протокол с Сирией': 'депутаты' is no office the "
                  "reader follows (in this outlet it mostly means the Duma's, and it costs "
                  "speed)",
    # round 5 rows, written before the rules changed
    # round 6 rows, written before the rules changed
    "d26-ru-442": "'согласована линия валютного свопа с Центробанком Турции': the partner "
                  "stands after the agreed thing's noun phrase, past the bridge, and Syria is "
                  "named only in 'сирийского фунта'",
    # round 7 rows, written before the rules changed
    # round 8 rows, written before the rules changed
    "d26-en-569": "'At the Amman meeting, Syria was represented by its foreign minister and "
                  "Türkiye by Hakan Fidan': 'Amman', the city before 'meeting', is read as "
                  "the meeting's third party (a country would be: 'the Iran talks')",
    "d26-ru-517": "'Трубопровод Килис — Алеппо запустили … министры энергетики двух стран': "
                  "the earlier sentence names Azerbaijan with both sides, so 'двух стран' is "
                  "left open, and the route's two cities are not read as the two",
    # round 9 rows, written before the rules changed (d26-en-635: after, see the README)
    "d26-en-615": "'He added that his counterpart had promised matching works': 'promised' "
                  "is no cue, and 'counterpart' alone is no contact in English (the Russian "
                  "'коллега' is a cue)",
    "d26-en-617": "'The two ministers' after a sentence naming Syria's minister with the "
                  "Russian and Iranian ones: that sentence's four make 'the two' open, and "
                  "Turkey's minister is named only the sentence before",
    "d26-ru-571": "'Два министра …': the same, in Russian",
    "d26-ru-561": "'Эрдоган — об Асаде: встретимся, когда придет время': 'об Асаде' makes "
                  "Assad a topic, and the first person plural 'встретимся' is not read as "
                  "the two of them",
    "d26-en-635": "'Trade minister Bolat heads delegation to Syria' with no other Turkish "
                  "name: 'Bolat' alone is no lexicon term (a Kazakh given name too), only "
                  "'Omer Bolat' and the surname after it",
}

Row = dict[str, Any]


@pytest.fixture(scope="module")
def whole() -> Matcher:
    """The whole topic: the rules and, where they find nothing, the learned second opinion
    (pipelines/matcher/opinion.py). The development rows taught that model, so they are
    held to their floors by the rules alone (the ``matcher`` fixture); the held-out rows,
    which taught nothing, measure the whole topic."""
    return Matcher(load_topic(SYRIA_TURKEY))


def rows(files: tuple[Path, ...] = FILES) -> list[Row]:
    found = []
    for path in files:
        with path.open(encoding="utf-8") as handle:
            found += [json.loads(line) for line in handle if line.strip()]
    return found


def document(row: Row) -> Document:
    published = row.get("published")
    when = datetime.fromisoformat(published).replace(tzinfo=UTC) if published else None
    return Document(title=row["title"], subtitle=row.get("subtitle", ""), body=row["text"],
                    language=row.get("language", "en"), published=when)


class Tally:
    """Confusion counts of one group of rows, with the ids of its misses."""

    def __init__(self) -> None:
        self.counts: Counter[str] = Counter()
        self.misses: list[str] = []

    def add(self, row: Row, matched: bool) -> None:
        positive = row["label"] == "positive"
        key = {(True, True): "tp", (True, False): "fn", (False, True): "fp",
               (False, False): "tn"}[(positive, matched)]
        self.counts[key] += 1
        if key in ("fn", "fp"):
            self.misses.append(f"{key}:{row['id']}")

    @property
    def precision(self) -> float:
        return self.counts["tp"] / max(1, self.counts["tp"] + self.counts["fp"])

    @property
    def recall(self) -> float:
        return self.counts["tp"] / max(1, self.counts["tp"] + self.counts["fn"])

    def line(self, name: str) -> str:
        n, fp, fn = sum(self.counts.values()), self.counts["fp"], self.counts["fn"]
        if not self.counts["tp"] + fn:  # negatives only: how many false alarms
            return f"{name:<40} n={n:3d} negatives, false alarms={fp}"
        tp = self.counts["tp"]  # the counts too: 195 of 199 prints as 0.980 but is below it
        return (f"{name:<40} n={n:3d} precision={self.precision:.3f} "
                f"recall={self.recall:.3f} ({tp}/{tp + fn}) fp={fp} fn={fn}")


def tallies(matcher: Matcher, chosen: list[Row]) -> dict[str, Tally]:
    """Per split total, per language and per kind (and per issue-12 class)."""
    groups: dict[str, Tally] = defaultdict(Tally)
    for row in chosen:
        matched = matcher.evaluate(document(row)).matched
        kind = str(row.get("kind"))
        names = ["all", f"language {row.get('language', 'en')}", f"kind {kind}"]
        names += [f"class {name}" for name, kinds in CLASSES.items() if kind in kinds]
        for name in names:
            groups[name].add(row, matched)
    return groups


def report(title: str, groups: dict[str, Tally], *, kinds: bool) -> None:
    print(f"\n== {title}")
    for name in sorted(groups, key=lambda n: (n != "all", not n.startswith("language"), n)):
        if kinds or not name.startswith("kind "):
            print(groups[name].line(name))


def test_corpus_has_the_size_and_mix_the_gate_needs() -> None:
    found = rows()
    written_here = rows(FILES[:-1])  # all but heldout.jsonl
    labels = Counter(row["label"] for row in found)
    assert set(labels) == {"positive", "negative"}
    assert len({row["id"] for row in found}) == len(found)
    assert {row["split"] for row in found} == {"dev", "heldout"}
    # issue 12: 600 rows besides the held-out file, 150 Russian, 200 after the fall of Assad
    assert len(written_here) >= 600
    assert sum(row.get("language") == "ru" for row in written_here) >= 150
    assert sum((row.get("published") or "") > CUTOFF for row in written_here) >= 200
    dev_kinds = {str(row.get("kind")) for row in found if row["split"] == "dev"}
    for name, kinds in CLASSES.items():
        for language in ("en", "ru"):
            assert any(row.get("kind") in kinds and row.get("language", "en") == language
                       and row["split"] == "dev" for row in found), (name, language)
    negatives = {str(row.get("kind")) for row in found if row["label"] == "negative"}
    assert negatives >= TRAP_KINDS
    assert dev_kinds >= {"multi_party", "coreference", "historic_treaty", "hostile_contact",
                         "institution_name"}


def test_dev_recall_is_total_but_for_excused_rows_and_precision_high(matcher: Matcher) -> None:
    dev = [row for row in rows(tuple(f for f in FILES if f not in BLIND))
           if row["split"] == "dev"]
    groups = tallies(matcher, dev)
    report("development rows", groups, kinds=False)
    missed = {miss.split(":", 1)[1] for miss in groups["all"].misses if miss.startswith("fn")}
    assert missed <= set(EXCUSED), sorted(missed - set(EXCUSED))
    found_now = set(EXCUSED) - missed
    assert not found_now, f"now found, remove from EXCUSED: {sorted(found_now)}"
    assert groups["all"].precision >= 0.95, groups["all"].misses


@pytest.mark.parametrize("name", BLIND_FLOORS)
def test_blind_dev_rows_keep_the_floor(matcher: Matcher, name: str) -> None:
    """Each file of development rows written blind to the rules: the most honest estimate of
    held-out behaviour that may be tuned on. Its figures may only go up."""
    recall, precision = BLIND_FLOORS[name]
    groups = tallies(matcher, rows((DATA / name,)))
    report(f"development rows written blind ({name})", groups, kinds=True)
    print("misses:", " ".join(groups["all"].misses))
    assert groups["all"].recall >= recall, groups["all"].misses
    assert groups["all"].precision >= precision, groups["all"].misses


def test_heldout_recall_98_precision_95(whole: Matcher) -> None:
    """Issue 12's bar, on the rows written apart from the rules: the whole topic (the rules
    and the learned second opinion) finds 98 % of the relations at 95 % precision. Its
    figures per language and per class print with ``-s``; every look is in README.md
    (Detection). First reached after round 32 (196 of 199, precision 0.980)."""
    heldout = [row for row in rows() if row["split"] == "heldout"]
    groups = tallies(whole, heldout)
    report("held-out rows (figures and ids only)", groups, kinds=True)
    print("misses:", " ".join(groups["all"].misses))
    assert groups["all"].recall >= HELDOUT_RECALL
    assert groups["all"].precision >= HELDOUT_PRECISION


def assert_offsets(doc: Document, items: tuple[Evidence, ...]) -> None:
    for item in items:
        assert getattr(doc, item.field)[item.start:item.end] == item.sentence


def test_every_verdict_has_exact_evidence_and_a_grade(whole: Matcher) -> None:
    for row in rows():
        doc = document(row)
        verdict = whole.evaluate(doc)
        assert_offsets(doc, verdict.evidence)
        assert_offsets(doc, verdict.near_misses)
        assert verdict.matched == bool(verdict.evidence)
        assert verdict.grade in (("development", "mention") if verdict.matched else (None,))
        assert all(item.rule and item.terms for item in verdict.evidence)


def test_negatives_naming_both_sides_explain_themselves(matcher: Matcher) -> None:
    """"Why didn't it fire?": a negative naming both sides in one sentence has a near-miss."""
    explained = 0
    for row in rows():
        if row["label"] != "negative":
            continue
        verdict = matcher.evaluate(document(row))
        explained += bool(verdict.near_misses)
        assert all(item.reason for item in verdict.near_misses)
    assert explained >= 100
