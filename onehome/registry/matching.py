"""Finding the same person under different spellings.

Names are normalised with PyThaiNLP (tone-mark and vowel order, stray spaces), blocked by
the LK82 Thai soundex of first and last name (typo-tolerant and indexable on any database),
by a *folded* spelling that forgives the common Thai misspellings (`fold_spec`), and by a
romanised key for names typed in Latin letters (`romanised`), then ranked with rapidfuzz.
The indexed key columns keep search fast at a million people: the database returns a few
hundred candidates, never the whole table. See docs/decisions/0002 and 0019.
"""

import functools
import re
from dataclasses import dataclass

from pythainlp.soundex import soundex
from pythainlp.transliterate import romanize
from pythainlp.util import normalize
from rapidfuzz import fuzz
from rapidfuzz.distance import OSA

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


# --- Folding: one spelling for the ways Thai names are commonly misspelt -----------------
#
# The readable specification is `fold_spec`: the rules below, applied in order. `fold` is
# the fast path used everywhere (one str.translate and two replaces); a test checks that
# the two agree on every name of the generators and on every misspelling class.

#: Marks dropped: the four tone marks, thanthakhat (silent-letter mark), maitaikhu and
#: lakkhangyao (the ๅ of ฤๅ).
FOLD_DROPPED = "\u0e48\u0e49\u0e4a\u0e4b\u0e4c\u0e47\u0e45"
#: Long vowels typed as short ones (and back): ี→ิ, ื→ึ, ู→ุ.
FOLD_VOWEL_LENGTH = {"\u0e35": "\u0e34", "\u0e37": "\u0e36", "\u0e39": "\u0e38"}
#: ฤ (ri / rue / roe) typed as ริ or รึ (after the vowel-length rule, รี and รื too).
FOLD_RUE = {"\u0e23\u0e34": "\u0e24", "\u0e23\u0e36": "\u0e24"}
#: Letters that sound alike, each folded to its most common member.
FOLD_LETTERS = {
    "ศษซ": "ส",  # s
    "ณ": "น",  # n
    "ฑฒธถฐ": "ท",  # th
    "ฎ": "ด",  # d
    "ฏ": "ต",  # t
    "ญ": "ย",  # y (initial); as a final it is n, a rarer slip
    "ภผ": "พ",  # ph
    "ฝ": "ฟ",  # f
    "ฆฅฃข": "ค",  # kh
    "ฌฉ": "ช",  # ch
    "ฬ": "ล",  # l
    "ั": "ะ",  # short a: mai han-akat typed as sara a
    "ใ": "ไ",  # ai: mai muan typed as mai malai
}


def fold_spec(text: str) -> str:
    """The specification of the folded key: `normalise_name`, then, in order, drop the
    marks of FOLD_DROPPED, shorten the vowels of FOLD_VOWEL_LENGTH, write ริ/รึ as ฤ, and
    fold the letters of FOLD_LETTERS."""
    out = normalise_name(text)
    for mark in FOLD_DROPPED:
        out = out.replace(mark, "")
    for long, short in FOLD_VOWEL_LENGTH.items():
        out = out.replace(long, short)
    for typed, rue in FOLD_RUE.items():
        out = out.replace(typed, rue)
    for letters, to in FOLD_LETTERS.items():
        for letter in letters:
            out = out.replace(letter, to)
    return out


# The single-letter rules commute (none produces a letter another rule reads, and none
# touches ร, ิ or ึ after the vowel-length step), so one translate table does them at once.
_FOLD_TABLE = str.maketrans(
    {
        **dict.fromkeys(FOLD_DROPPED),
        **FOLD_VOWEL_LENGTH,
        **{letter: to for letters, to in FOLD_LETTERS.items() for letter in letters},
    }
)


@functools.lru_cache(maxsize=65_536)
def fold(text: str) -> str:
    """`fold_spec`, fast."""
    out = normalise_name(text).translate(_FOLD_TABLE)
    return out.replace("\u0e23\u0e34", "\u0e24").replace("\u0e23\u0e36", "\u0e24")


# --- Romanised names --------------------------------------------------------------------
#
# Names typed in Latin letters are compared with the Royal Institute (RTGS) romanisation
# of the Thai name (PyThaiNLP's rule-based "royin" engine: offline, no download), both
# folded by `fold_latin` so the usual spelling variants (Somporn / Somphon, Jira / Chira,
# Reuthai / Ruethai, Wichai / Vichai) meet.

_NOT_LATIN = re.compile(r"[^a-z ]")
_LATIN_RULES = (
    (re.compile(r"([a-z])\1+"), r"\1"),  # doubled letters: nn → n, ee → e
    (re.compile(r"([tpkc])h"), r"\1"),  # aspiration: th → t, ph → p, kh → k, ch → c
    (re.compile(r"j"), "c"),  # จ: j / ch
    (re.compile(r"v"), "w"),  # ว: v / w
    (re.compile(r"eu"), "ue"),  # ึ ื: eu / ue
    (re.compile(r"rn"), "n"),  # final ร: -orn / -on
    (re.compile(r"y\b"), "i"),  # final -ay / -ai
)


@functools.lru_cache(maxsize=65_536)
def fold_latin(text: str) -> str:
    """Lower-cased Latin letters and spaces only, spelling variants folded (rules above)."""
    out = _NOT_LATIN.sub("", _SPACES.sub(" ", (text or "").lower())).strip()
    for pattern, to in _LATIN_RULES:
        out = pattern.sub(to, out)
    return out


@functools.lru_cache(maxsize=65_536)
def romanised(word: str) -> str:
    """The folded royal-transliteration key of one Thai name ("หฤทัย" → "ruetai")."""
    word = normalise_name(word)
    if not word:
        return ""
    if not _THAI.search(word):
        return fold_latin(word).replace(" ", "")
    try:
        latin = romanize(word, engine="royin")
    except (IndexError, KeyError, ValueError):
        return ""
    return fold_latin(latin).replace(" ", "")


def is_latin(query: str) -> bool:
    """A query typed in Latin letters (no Thai character)."""
    return bool(query.strip()) and not _THAI.search(query)


def set_search_keys(person) -> None:
    """Write the search columns of a Person from its Thai names. Every writer of people
    (services, bulk loaders) calls this; the keys are cached because names repeat."""
    person.name_key = name_key(person.first_name_th, person.last_name_th)
    person.first_sdx = sdx(person.first_name_th)
    person.last_sdx = sdx(person.last_name_th)
    person.first_fold = fold(person.first_name_th).replace(" ", "")[:100]
    person.last_fold = fold(person.last_name_th).replace(" ", "")[:100]
    person.first_rom = romanised(person.first_name_th)[:100]
    person.last_rom = romanised(person.last_name_th)[:100]


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


@functools.lru_cache(maxsize=65_536)
def _normalised_word(name: str) -> str:
    return normalise_name(name)


@functools.lru_cache(maxsize=131_072)
def word_score(typed: str, name: str, *, partial: bool = False) -> float:
    """How alike one typed word is to one name (0–100): rapidfuzz's ratio, or better when
    the difference is a few edits counting a swap of neighbours as one (optimal string
    alignment); with `partial` (the word being typed), at least 90 when the name starts
    with what was typed."""
    if not typed or not name:
        return 0.0
    edits = OSA.distance(typed, name)
    score = max(fuzz.ratio(typed, name), 100 * (1 - edits / (len(typed) + len(name))))
    if partial and len(typed) >= 2 and name.startswith(typed):
        score = max(score, 90.0)
    return score


def pair_score(words: list[str], first: str, last: str) -> float:
    """How alike a query's words are to a first and last name: one word against the
    better of the two; two or more, the first word against the first name and the rest
    against the last name (or the other way round, a little lower: a surname typed
    first). Only the last word may be a name typed in part."""
    if len(words) == 1:
        return max(
            word_score(words[0], first, partial=True), word_score(words[0], last, partial=True)
        )
    head, rest = words[0], " ".join(words[1:])
    straight = (word_score(head, first) + word_score(rest, last, partial=True)) / 2
    swapped = (word_score(rest, first, partial=True) + word_score(head, last)) / 2 - 5
    return max(straight, swapped)


def rank_thai(
    query: str, rows: list[tuple[int, str, str, str, str]], *, limit: int, cutoff: float
) -> list[int]:
    """Ids of the best matches of a Thai `query` among (id, first name, last name, first
    fold, last fold) rows, best first. A match as typed beats a match of folded spellings
    (2 points lower), so the exact spelling comes first among people who sound alike."""
    words = normalise_name(query).split(" ")
    folded = [fold(w) for w in words]
    scores: dict[int, float] = {}
    memo: dict[tuple[str, str], float] = {}
    for pk, first, last, first_fold, last_fold in rows:
        if pk in scores:
            continue
        pair = (first, last)
        if pair not in memo:
            raw = pair_score(words, _normalised_word(first), _normalised_word(last))
            memo[pair] = max(raw, pair_score(folded, first_fold, last_fold) - 2)
        scores[pk] = memo[pair]
    return _best(scores, limit=limit, cutoff=cutoff)


def rank_latin(
    query: str, rows: list[tuple[int, str, str, str, str]], *, limit: int, cutoff: float
) -> list[int]:
    """Ids of the best matches of a Latin-script `query` among (id, first romanised key,
    last romanised key, English first name, English last name) rows, best first."""
    words = [w for w in fold_latin(query).split(" ") if w]
    scores: dict[int, float] = {}
    for pk, first_rom, last_rom, first_en, last_en in rows:
        if pk not in scores:
            scores[pk] = max(
                pair_score(words, first_rom, last_rom),
                pair_score(words, fold_latin(first_en), fold_latin(last_en)),
            )
    return _best(scores, limit=limit, cutoff=cutoff)


def _best(scores: dict[int, float], *, limit: int, cutoff: float) -> list[int]:
    kept = sorted((-score, pk) for pk, score in scores.items() if score >= cutoff)
    return [pk for _score, pk in kept[:limit]]
