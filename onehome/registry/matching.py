"""Finding the same person under different spellings.

Names are normalised with PyThaiNLP (tone-mark and vowel order, stray spaces), blocked by
the LK82 Thai soundex of first and last name (typo-tolerant and indexable on any database),
and ranked with rapidfuzz. The soundex columns keep search fast at a million people: the
database returns a few hundred candidates, never the whole table.
"""

import functools
import re
from dataclasses import dataclass

from pythainlp.soundex import soundex
from pythainlp.util import normalize
from rapidfuzz import fuzz

_SPACES = re.compile(r"\s+")
_THAI = re.compile(r"[\u0e00-\u0e7f]")


def normalise_name(text: str) -> str:
    """Lower-cased, PyThaiNLP-normalised, single-spaced."""
    return _SPACES.sub(" ", normalize(text or "")).strip().lower()


@functools.lru_cache(maxsize=65_536)
def name_key(first: str, last: str) -> str:
    return normalise_name(f"{first} {last}")


@functools.lru_cache(maxsize=65_536)
def sdx(word: str) -> str:
    """LK82 soundex of a Thai word; for Latin script, the lower-cased first four letters."""
    word = normalise_name(word).replace(" ", "")
    if not word:
        return ""
    if _THAI.search(word):
        try:
            return soundex(word, engine="lk82")
        except (IndexError, KeyError, ValueError):
            return word[:4]
    return word[:4]


def set_search_keys(person) -> None:
    """Write the search columns of a Person from its Thai names. Every writer of people
    (services, bulk loaders) calls this; the keys are cached because names repeat."""
    person.name_key = name_key(person.first_name_th, person.last_name_th)
    person.first_sdx = sdx(person.first_name_th)
    person.last_sdx = sdx(person.last_name_th)


@dataclass(frozen=True)
class Match:
    person_id: int
    score: float


def rank(
    query: str, candidates: list[tuple[int, str]], *, limit: int, cutoff: float
) -> list[Match]:
    """Best matches of `query` among (id, name_key) pairs, best first."""
    q = normalise_name(query)
    scored = [Match(pid, fuzz.WRatio(q, key)) for pid, key in candidates if key]
    scored = [m for m in scored if m.score >= cutoff]
    scored.sort(key=lambda m: (-m.score, m.person_id))
    return scored[:limit]
