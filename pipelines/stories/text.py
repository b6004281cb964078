"""Text normalisation for story grouping: folded word tokens and word shingles.

Folding is NFKD with marks dropped (Erdoğan → erdogan, ё → е, й → и), lowercase, and
everything that is not a letter or a digit treated as a gap, so typography, quotes, dashes
and markup leftovers never separate two copies of one text.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from functools import lru_cache

_WORD = re.compile(r"[^\W_]+", re.UNICODE)
_SPECIAL = str.maketrans({"ı": "i", "İ": "I", "ß": "ss", "ø": "o", "Ø": "O", "ł": "l", "Ł": "L"})


@lru_cache(maxsize=65536)
def fold_word(word: str) -> str:
    """One word folded: no marks, lowercase (cached: news vocabularies repeat)."""
    decomposed = unicodedata.normalize("NFKD", word.translate(_SPECIAL))
    return "".join(c for c in decomposed if not unicodedata.combining(c)).lower()


def words(text: str) -> list[str]:
    """The text's words as written (letters and digits), in order."""
    return _WORD.findall(text)


def tokens(text: str) -> list[str]:
    """The text's folded words, in order."""
    return [fold_word(w) for w in _WORD.findall(text)]


def shingles(toks: Sequence[str], size: int) -> set[str]:
    """Word ``size``-shingles; a text shorter than ``size`` words is one shingle (or none)."""
    if len(toks) < size:
        return {" ".join(toks)} if toks else set()
    return {" ".join(toks[i : i + size]) for i in range(len(toks) - size + 1)}


def content_terms(toks: Sequence[str], prefix: int = 6) -> set[str]:
    """Headline terms: words of 3+ letters cut to a prefix (a crude stem for both languages)."""
    return {t[:prefix] for t in toks if len(t) >= 3 and not t.isdigit()}
