"""Parse each section of a topic file into the typed parts of a Topic."""

from __future__ import annotations

from typing import Any

from .fold import fold
from .phrases import PhraseSet
from .reader import Reader, Table
from .topic import (
    BINDINGS,
    OUTSIDE_ROLES,
    ROLES,
    THIRD_PARTY_MODES,
    Alias,
    Context,
    Coreference,
    CueClass,
    Default,
    Exclusion,
    Grades,
    Historic,
    Near,
    Rule,
    Side,
    Windows,
    WordSet,
)


def sides(reader: Reader, table: Table) -> tuple[Side, Side]:
    if len(table) != 2:
        raise reader.fail("entities", "must define exactly two sides")
    first, second = (_side(reader, name, value) for name, value in table.items())
    return first, second


def _side(reader: Reader, name: str, table: Any) -> Side:
    prefix = f"entities.{name}."
    if not isinstance(table, dict):
        raise reader.fail(prefix[:-1], "not a table")
    reader.only(table, {"places", "actors", "aliases", "nonparty_after"}, prefix)
    aliases = [Alias(reader.words(table, "places", prefix, required=False), "place"),
               Alias(reader.words(table, "actors", prefix, required=False), "actor")]
    extra = table.get("aliases", [])
    if not isinstance(extra, list):
        raise reader.fail(prefix + "aliases", "must be an array of tables")
    aliases += [_alias(reader, item, f"{prefix}aliases[{i}].") for i, item in enumerate(extra)]
    if not any(alias.terms for alias in aliases):
        raise reader.fail(prefix + "places", "a side needs at least one term")
    nonparty = WordSet.of(reader.words(table, "nonparty_after", prefix, required=False))
    return Side(name, tuple(aliases), nonparty)


def _alias(reader: Reader, table: Any, prefix: str) -> Alias:
    if not isinstance(table, dict):
        raise reader.fail(prefix[:-1], "not a table")
    reader.only(table, {"terms", "role", "from", "until", "outside", "generic", "seat"},
                 prefix)
    return Alias(
        terms=reader.words(table, "terms", prefix),
        role=reader.choice(table, "role", ROLES, prefix),
        valid_from=reader.day(table, "from", prefix),
        valid_until=reader.day(table, "until", prefix),
        outside=reader.choice({"outside": table.get("outside", "drop")}, "outside",
                              OUTSIDE_ROLES, prefix),
        generic=reader.flag(table, "generic", prefix),
        seat=reader.flag(table, "seat", prefix),
    )


def cues(reader: Reader, table: Table) -> tuple[CueClass, ...]:
    classes = []
    for name, value in table.items():
        prefix = f"cues.{name}."
        if not isinstance(value, dict):
            raise reader.fail(prefix[:-1], "not a table")
        reader.only(value, {"terms", "transitive", "near", "possessor_gap", "actor_subject",
                            "venue", "pair_after", "actor_object", "actor_pair",
                            "gathering", "object_only"}, prefix)
        near = value.get("near", [])
        if not isinstance(near, list):
            raise reader.fail(prefix + "near", "must be an array of tables")
        classes.append(CueClass(
            name=name,
            terms=reader.words(value, "terms", prefix),
            transitive=reader.words(value, "transitive", prefix, required=False),
            near=tuple(_near(reader, item, f"{prefix}near[{i}].") for i, item in enumerate(near)),
            possessor_gap=(reader.number(value, "possessor_gap", 0, prefix)
                           if "possessor_gap" in value else None),
            actor_subject=reader.flag(value, "actor_subject", prefix),
            pair_after=reader.flag(value, "pair_after", prefix),
            actor_object=reader.flag(value, "actor_object", prefix),
            actor_pair=reader.flag(value, "actor_pair", prefix),
            gathering=reader.flag(value, "gathering", prefix),
            object_only=reader.flag(value, "object_only", prefix),
            venue=reader.flag(value, "venue", prefix),
        ))
    if not classes:
        raise reader.fail("cues", "define at least one cue class")
    return tuple(classes)


def _near(reader: Reader, table: Any, prefix: str) -> Near:
    if not isinstance(table, dict):
        raise reader.fail(prefix[:-1], "not a table")
    reader.only(table, {"first", "second", "max_gap", "transitive"}, prefix)
    return Near(reader.words(table, "first", prefix), reader.words(table, "second", prefix),
                reader.number(table, "max_gap", 3, prefix),
                reader.flag(table, "transitive", prefix))


def grades(reader: Reader, table: Table) -> Grades:
    reader.only(table, {"development", "negation", "hedges"}, "grades.")
    return Grades(*(reader.words(table, key, "grades.", required=False)
                    for key in ("development", "negation", "hedges")))


_CONTEXT_KEYS = ("connectors", "links", "determiners", "pronouns", "actor_after",
                 "nonparty_after", "nonparty_before", "place_nonparty_before", "actor_before",
                 "venue_before", "relative", "seat_words", "topical", "holders", "seated")


def context(reader: Reader, table: Table) -> Context:
    reader.only(table, {*_CONTEXT_KEYS, "adverbials", "companions", "contrasts",
                         "additives", "about", "sequels", "permits", "members", "sources",
                         "agents", "rounds", "possessions", "pairings", "outsiders"},
                "context.")

    def words(key: str) -> WordSet:
        return WordSet.of(reader.words(table, key, "context.", required=False))

    def phrase_set(key: str) -> PhraseSet:
        return phrases(reader, table, key, "context.")

    return Context(*map(words, _CONTEXT_KEYS), adverbials=phrase_set("adverbials"),
                   companions=phrase_set("companions"), contrasts=phrase_set("contrasts"),
                   additives=phrase_set("additives"), about=words("about"),
                   sequels=phrase_set("sequels"), permits=words("permits"),
                   members=phrase_set("members"), sources=phrase_set("sources"),
                   agents=phrase_set("agents"), rounds=words("rounds"),
                   possessions=words("possessions"), pairings=words("pairings"),
                   outsiders=words("outsiders"))


def windows(reader: Reader, table: Any) -> Windows:
    if not isinstance(table, dict):
        raise reader.fail("windows", "not a table")
    keys = ("pair_gap", "adjacent", "bridge_gap", "subject_window", "neighbors")
    reader.only(table, set(keys), "windows.")
    defaults = Windows()
    return Windows(*(reader.number(table, key, getattr(defaults, key), "windows.") for key in keys))


def exclusions(reader: Reader, items: Any) -> tuple[Exclusion, ...]:
    if not isinstance(items, list):
        raise reader.fail("exclusions", "must be an array of tables")
    found: list[Exclusion] = []
    for i, table in enumerate(items):
        prefix = f"exclusions[{i}]."
        if not isinstance(table, dict):
            raise reader.fail(prefix[:-1], "not a table")
        reader.only(table, {"id", "reason", "terms", "discussed", "since", "until"}, prefix)
        item = Exclusion(reader.text(table, "id", prefix), reader.text(table, "reason", prefix),
                         reader.words(table, "terms", prefix),
                         reader.flag(table, "discussed", prefix),
                         reader.day(table, "since", prefix),
                         reader.day(table, "until", prefix))
        if item.since and item.until and item.until <= item.since:
            raise reader.fail(prefix + "until", "must come after since")
        if any(other.id == item.id for other in found):
            raise reader.fail(prefix + "id", f"duplicate exclusion id {item.id!r}")
        found.append(item)
    return tuple(found)


def rules(reader: Reader, items: Any, cues: tuple[CueClass, ...],
           exclusions: tuple[Exclusion, ...]) -> tuple[Rule, ...]:
    if not isinstance(items, list) or not items:
        raise reader.fail("rules", "must be a non-empty array of tables")
    names = {cue.name for cue in cues}
    known = {item.id for item in exclusions}
    return tuple(_rule(reader, table, i, names, known) for i, table in enumerate(items))


def _rule(reader: Reader, table: Any, index: int, cue_names: set[str],
          exclusion_ids: set[str]) -> Rule:
    prefix = f"rules[{index}]."
    if not isinstance(table, dict):
        raise reader.fail(prefix[:-1], "not a table")
    reader.only(table, {"id", "cues", "bindings", "third_parties", "exclusions", "historic",
                        "from", "until"}, prefix)
    cues = reader.words(table, "cues", prefix)
    bindings = reader.words(table, "bindings", prefix)
    excluded = reader.words(table, "exclusions", prefix, required=False)
    for key, values, allowed in (("cues", cues, cue_names), ("bindings", bindings, set(BINDINGS)),
                                 ("exclusions", excluded, exclusion_ids)):
        bad = [value for value in values if value not in allowed]
        if bad:
            raise reader.fail(prefix + key, f"unknown value {bad[0]!r}")
    mode = reader.choice({"third_parties": table.get("third_parties", "off")}, "third_parties",
                         THIRD_PARTY_MODES, prefix)
    return Rule(reader.text(table, "id", prefix), index, frozenset(cues), frozenset(bindings),
                mode, excluded, historic=reader.flag(table, "historic", prefix),
                valid_from=reader.day(table, "from", prefix),
                valid_until=reader.day(table, "until", prefix))


def phrases(reader: Reader, data: Table, key: str, prefix: str = "") -> PhraseSet:
    """An optional list of phrases (see PhraseSet)."""
    return PhraseSet.of(reader.words(data, key, prefix, required=False))


def coreference(reader: Reader, table: Any) -> Coreference:
    if not isinstance(table, dict):
        raise reader.fail("coreference", "not a table")
    prefix = "coreference."
    reader.only(table, {"offices", "groups", "persons", "counterparts", "pronouns", "objects",
                        "lists", "definite", "events", "particles", "fields", "countries",
                        "home", "window", "posts", "apart", "passive", "neuter",
                        "stances", "facing", "facing_stops", "speech",
                        "quoted", "possessed", "defaults", "own", "missions", "there",
                        "mediated", "asked", "answers", "whom", "place_clauses",
                        "modifier_endings"}, prefix)

    def words(key: str) -> WordSet:
        return WordSet.of(reader.words(table, key, prefix, required=False))

    return Coreference(
        offices=words("offices"), groups=phrases(reader, table, "groups", prefix),
        persons=phrases(reader, table, "persons", prefix),
        counterparts=phrases(reader, table, "counterparts", prefix), pronouns=words("pronouns"),
        possessed=phrases(reader, table, "possessed", prefix),
        defaults=_defaults(reader, table.get("defaults", [])),
        objects=words("objects"), lists=phrases(reader, table, "lists", prefix),
        mediated=phrases(reader, table, "mediated", prefix),
        asked=phrases(reader, table, "asked", prefix), answers=words("answers"),
        whom=words("whom"), place_clauses=words("place_clauses"),
        modifier_endings=tuple(fold(ending).text for ending in reader.words(
            table, "modifier_endings", prefix, required=False)),
        definite=words("definite"), events=phrases(reader, table, "events", prefix),
        particles=words("particles"), fields=words("fields"),
        countries=phrases(reader, table, "countries", prefix),
        home=words("home"), passive=words("passive"), neuter=words("neuter"),
        stances=words("stances"), own=words("own"), missions=words("missions"),
        facing=words("facing"),
        facing_stops=words("facing_stops"), speech=phrases(reader, table, "speech", prefix),
        quoted=words("quoted"), there=words("there"),
        window=reader.number(table, "window", 3, prefix),
        apart=frozenset(reader.words(table, "apart", prefix, required=False)),
        posts=_posts(reader.words(table, "posts", prefix, required=False)))


def _defaults(reader: Reader, items: Any) -> tuple[Default, ...]:
    """[[coreference.defaults]]: `terms` (office words), `side` (an [entities] name), optional
    `from` / `until` (until is exclusive)."""
    if not isinstance(items, list):
        raise reader.fail("coreference.defaults", "must be an array of tables")
    found = []
    for i, table in enumerate(items):
        prefix = f"coreference.defaults[{i}]."
        if not isinstance(table, dict):
            raise reader.fail(prefix[:-1], "not a table")
        reader.only(table, {"terms", "side", "from", "until"}, prefix)
        found.append(Default(WordSet.of(reader.words(table, "terms", prefix)),
                             reader.text(table, "side", prefix),
                             reader.day(table, "from", prefix), reader.day(table, "until", prefix)))
    return tuple(found)


def _posts(pairs: tuple[str, ...]) -> dict[str, str]:
    """"diplomat minister": the office word "diplomat" may name the post last seen as
    "minister" (its first five letters are the key offices are remembered by)."""
    found = {}
    for pair in pairs:
        word, _, post = pair.partition(" ")
        if post:
            found[word] = post
    return found


def historic(reader: Reader, table: Any) -> Historic:
    if not isinstance(table, dict):
        raise reader.fail("historic", "not a table")
    prefix = "historic."
    reader.only(table, {"min_age", "gap", "baseline", "markers", "revival"}, prefix)
    return Historic(
        min_age=reader.number(table, "min_age", 5, prefix),
        gap=reader.number(table, "gap", 8, prefix),
        baseline=WordSet.of(reader.words(table, "baseline", prefix, required=False)),
        markers=phrases(reader, table, "markers", prefix),
        revival=phrases(reader, table, "revival", prefix))
