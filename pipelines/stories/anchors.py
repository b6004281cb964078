"""Language-independent anchors of an article: names, numbers and dates.

The English and Russian editions of one story share almost no words, but they share the
*things* the story is about: the people and places it names, the figures it quotes and the
dates it gives. Each becomes a key that is the same in both languages:

* **names** — capitalised words that do not open a sentence (or that are capitalised again
  elsewhere), Latin or Cyrillic. Cyrillic is transliterated, Russian case endings are cut
  ("Эрдоганом" → "Эрдоган"), and the word is reduced to a consonant skeleton of at most four
  letters keeping the first letter ("Erdogan", "Эрдоган" → ``n:erdg``; "Moscow", "Москвы" →
  ``n:mskv``; "Damascus", "Дамаска" → ``n:dmsk``);
* **numbers** — digits with their thousand separators and scale words resolved
  ("1,500", "1 500", "1.5 thousand", "1,5 тыс." → ``#:1500``), percentages as plain numbers;
  numbers under 10 are dropped (English spells them out, Russian writes digits);
* **dates** — a day and a month in either language ("March 5", "5 March", "5 марта" →
  ``d:03-05``); years are numbers.

What this cannot do: exonyms that do not share a skeleton (Turkey / Турция, Germany /
Германия), names translated rather than transliterated, numbers spelled out in words
("two hundred"), dates given relative to the day ("yesterday", "on Monday") and
abbreviations that differ between languages (UN / ООН, NATO / НАТО do match; EU / ЕС don't).
Two different stories about the same actors on the same day share the name anchors, so name
overlap alone never groups: it needs figures or dates in common (see :mod:`.index`). Years
weigh half a figure: background paragraphs repeat them ("since 2011").
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from pipelines.stories.text import fold_word

_TRANSLIT = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "e", "ж": "zh", "з": "z",
    "и": "i", "й": "i", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p", "р": "r",
    "с": "s", "т": "t", "у": "u", "ф": "f", "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh",
    "щ": "shch", "ъ": "", "ы": "y", "ь": "", "э": "e", "ю": "yu", "я": "ya",
}  # fmt: skip
# Russian case endings, longest first; cut only when a stem of 3+ letters stays
_RU_ENDINGS = (
    "ами", "ями", "ого", "его", "ому", "ему", "ыми", "ими", "ой", "ей", "ом", "ем", "ым",
    "им", "ах", "ях", "ам", "ям", "ов", "ев", "ую", "юю", "ая", "яя", "а", "я", "у", "ю",
    "е", "ы", "и",
)  # fmt: skip
# Sounds spelled differently by the two scripts' conventions, folded before the skeleton
_SOUNDS = (
    ("shch", "s"), ("sch", "s"), ("sh", "s"), ("ch", "c"), ("zh", "z"), ("kh", "h"),
    ("ts", "c"), ("tz", "c"), ("ph", "f"), ("ck", "k"), ("q", "k"), ("x", "ks"), ("w", "v"),
    ("dzh", "g"), ("eu", "ev"), ("c", "k"), ("j", "i"),
)  # fmt: skip
_VOWELS = frozenset("aeiouy")

def _wordset(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Capitalised words that open sentences without naming anything
_NOT_NAMES = _wordset(
    """a an the in on at of for from to by with as after before during while when where
    but and or if it its this that these those there here he she they we you i his her
    their our what which who why how not no yes also however meanwhile earlier later last
    next first one two three four five according under over some many most more such
    monday tuesday wednesday thursday friday saturday sunday today yesterday
    мы он она они оно это эти этот эта в во на по с со к ко о об от до из за для при и
    а но или как так что чтобы когда где уже ещё еще также однако по словам ранее
    позже кроме после перед между"""
)
_MONTHS = {
    "january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6, "july": 7,
    "august": 8, "september": 9, "october": 10, "november": 11, "december": 12,
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8, "sep": 9,
    "sept": 9, "oct": 10, "nov": 11, "dec": 12,
    "января": 1, "февраля": 2, "марта": 3, "апреля": 4, "мая": 5, "июня": 6, "июля": 7,
    "августа": 8, "сентября": 9, "октября": 10, "ноября": 11, "декабря": 12,
}  # fmt: skip
_SCALES = {
    "thousand": 1_000, "тыс": 1_000, "тысяч": 1_000, "тысячи": 1_000, "тысяча": 1_000,
    "million": 1_000_000, "millions": 1_000_000, "mln": 1_000_000, "млн": 1_000_000,
    "миллиона": 1_000_000, "миллионов": 1_000_000, "миллион": 1_000_000,
    "billion": 1_000_000_000, "bln": 1_000_000_000, "млрд": 1_000_000_000,
    "миллиарда": 1_000_000_000, "миллиардов": 1_000_000_000, "миллиард": 1_000_000_000,
    "trillion": 10**12, "трлн": 10**12,
}  # fmt: skip

_NAME = re.compile(r"(?<![\w'’])([A-ZА-ЯЁ][\w'’-]*)", re.UNICODE)
_SENTENCE_END = re.compile(r"[.!?…:;\"«»“”—]\s*$|^\s*$")
# a number: digits with optional groups ("1,500", "1 500", "1.500") and decimals ("1.5")
_NUMBER = re.compile(
    r"(?<![\w.,])(\d{1,3}(?:[,\u00a0\u202f ]\d{3})+(?!\d)|\d+)"  # whole part
    r"(?:[.,](\d+))?"  # decimals (or a last thousands group)
    r"(?:\s*([A-Za-zА-Яа-яё]+))?"  # the word after it: a scale?
)
_DATE_DM = re.compile(r"\b(\d{1,2})\s+([A-Za-zА-Яа-яё]+)")
_DATE_MD = re.compile(r"\b([A-Za-z]+)\.?\s+(\d{1,2})\b")

NAME, NUMBER, DATE = "n", "#", "d"


@dataclass(frozen=True)
class Anchors:
    """An article's anchors by kind (sets of keys such as ``n:erdg``, ``#:1500``)."""

    names: frozenset[str]
    numbers: frozenset[str]
    dates: frozenset[str]

    @property
    def facts(self) -> frozenset[str]:
        """Numbers and dates: what tells two stories about the same people apart."""
        return self.numbers | self.dates

    def all(self) -> frozenset[str]:
        return self.names | self.numbers | self.dates


def _translit(word: str) -> str:
    return "".join(_TRANSLIT.get(c, c) for c in word)


def _cut_ending(word: str) -> str:
    for ending in _RU_ENDINGS:
        if word.endswith(ending) and len(word) - len(ending) >= 3:
            return word[: -len(ending)]
    return word


@lru_cache(maxsize=65536)
def name_key(word: str) -> str:
    """The skeleton of a name, equal for its Latin and Cyrillic spellings (mostly)."""
    folded = fold_word(word)
    folded = re.split(r"['’]", folded, maxsplit=1)[0]  # Erdogan's → erdogan
    if any("а" <= c <= "я" for c in folded):
        folded = _translit(_cut_ending(folded))
    for sound, spelled in _SOUNDS:
        folded = folded.replace(sound, spelled)
    folded = "".join(c for c in folded if c.isalpha())
    if not folded:
        return ""
    skeleton = [folded[0]]
    for c in folded[1:]:
        if c not in _VOWELS and c != skeleton[-1]:
            skeleton.append(c)
    return "".join(skeleton[:4])


def extract_names(text: str) -> frozenset[str]:
    """Name keys of capitalised words. A word that opens a sentence counts only when it is an
    acronym or is capitalised somewhere else too ("Officials said…" is not a name; "Fidan
    said… Ankara and Fidan" is)."""
    inside: set[str] = set()
    for match in _NAME.finditer(text):
        word = match.group(1).strip("-'’")
        if len(word) < 3:
            continue
        folded = fold_word(word)
        if folded in _NOT_NAMES or folded in _MONTHS:
            continue
        key = name_key(word)
        if len(key) < 2:
            continue
        opens = _SENTENCE_END.search(text[max(0, match.start() - 3) : match.start()])
        if not opens or word.isupper():
            inside.add(key)
    return frozenset(f"{NAME}:{key}" for key in inside)


def _number_value(whole: str, fraction: str | None, unit: str | None) -> int | None:
    digits = re.sub(r"\D", "", whole)
    if not digits:
        return None
    scale = _SCALES.get(fold_word(unit).rstrip(".")) if unit else None
    if fraction is not None and scale is None:
        if len(fraction) == 3 and len(digits) <= 3:
            digits += fraction  # "1.500": a thousands group, not a decimal
            fraction = None
        else:
            return int(digits)  # a decimal without a scale: its whole part
    value = float(f"{digits}.{fraction}") if fraction else float(digits)
    return round(value * (scale or 1))


def extract_numbers(text: str) -> frozenset[str]:
    """Number keys (10 and over), with scale words applied."""
    keys: set[str] = set()
    for match in _NUMBER.finditer(text):
        value = _number_value(match.group(1), match.group(2), match.group(3))
        if value is not None and value >= 10:
            keys.add(f"{NUMBER}:{value}")
    return frozenset(keys)


def extract_dates(text: str) -> frozenset[str]:
    """Day-and-month keys in either order and either language."""
    keys: set[str] = set()
    for day, month in _DATE_DM.findall(text):
        number = _MONTHS.get(fold_word(month))
        if number and 1 <= int(day) <= 31:
            keys.add(f"{DATE}:{number:02d}-{int(day):02d}")
    for month, day in _DATE_MD.findall(text):
        number = _MONTHS.get(fold_word(month))
        if number and 1 <= int(day) <= 31:
            keys.add(f"{DATE}:{number:02d}-{int(day):02d}")
    return frozenset(keys)


def fact_weight(key: str) -> float:
    """How much a shared figure or date says: a year (1900-2100) says half as much."""
    if key.startswith(f"{NUMBER}:") and 1900 <= int(key[2:]) <= 2100:
        return 0.5
    return 1.0


def extract(headline: str, text: str) -> Anchors:
    """All anchors of an article (headline and body)."""
    whole = f"{headline}.\n{text}"
    dates = extract_dates(whole)
    # a date's day is not a figure of its own
    days = {f"{NUMBER}:{int(d.split('-')[1])}" for d in dates}
    numbers = extract_numbers(whole) - days
    return Anchors(names=extract_names(whole), numbers=frozenset(numbers), dates=dates)
