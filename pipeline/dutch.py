"""What a piece of Dutch text is, as far as a program can tell without understanding it.

The answer rule (`pipeline.answers`) asks this module three things about a team's answer: are
its words Dutch words at all (or keyboard runs, Latin filler, bare digits), how many of them
carry meaning, and is its main statement negated. Word knowledge comes from a real frequency
list (PyPI `wordfreq`, the Dutch list built from subtitles, Wikipedia, web text and books),
not from a list we wrote: a word that Dutch text uses very often ("we", "doen", "niet",
"iedereen", "later") carries no arrangement by itself; a rarer one ("opvang", "balie",
"portofoon") does. Dutch writes compounds as one word ("terugschelden", "huisbezoekteam"), and
a frequency list cannot hold them all, so an unknown word that splits into two known words is
Dutch too. Pure, no I/O; the list is loaded once per process, on first use.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

# Zipf frequency (log10 of occurrences per billion words) in the Dutch list:
# - at or above COMMON a word is grammar or small talk and says nothing by itself ("we" 6.6,
#   "doen" 6.1, "iedereen" 5.8, "later" 5.5, "gebeurt" 5.1);
# - below KNOWN it is not a Dutch word (Latin filler "lorem" 1.4, "amet" 1.5; keyboard runs
#   "asdf" 0, "qwerty" 2.4), unless it is a compound of known words or a name.
COMMON = 5.0
KNOWN = 2.5
# A compound's parts: each at least this long and known with at least this frequency, so
# "huis+bezoek" splits and "lo+rem" does not.
PART_LENGTH = 3
PART_KNOWN = 3.0

_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*|\d+", re.UNICODE)
# The words that negate a statement; "geen" and "niemand" negate a noun or a subject, "nooit"
# a time. Grammar, not a phrase list: Dutch has these and no others.
NEGATIONS = frozenset({"niet", "geen", "nooit", "niemand", "niets", "niks", "nergens",
                       "nee", "neen"})
# Words that turn a negation into a rule instead of a refusal: "nooit alleen", "niet zonder",
# "geen huisbezoek tenzij", "niemand gaat weg voordat". Dutch's restrictive particles.
RESTRICTORS = frozenset({"alleen", "zonder", "tenzij", "voordat", "behalve", "zolang",
                         "eerst", "pas", "buiten", "maar", "wel", "altijd", "steeds",
                         # deontic words: a negated duty or permission is a prohibition
                         "mag", "mogen", "moet", "moeten", "toegestaan", "verboden"})
# A clause ends at these; "n.v.t." keeps its dots.
_CLAUSE_END = re.compile(r"[;:!?\n()\[\]]|,\s|\.(?:\s|$)|\s[-–—]\s")


def words(text: str) -> list[str]:
    """The words and numbers of `text`, in order, as typed (case kept)."""
    return _WORD.findall(unicodedata.normalize("NFC", text))


def clauses(text: str) -> list[str]:
    """`text` cut at sentence and clause ends; empty pieces dropped."""
    return [c.strip() for c in _CLAUSE_END.split(text) if c and c.strip()]


@lru_cache(maxsize=1)
def _frequencies() -> dict[str, float]:
    """The Dutch list as word -> zipf frequency, loaded once (about 0.1 s)."""
    import math

    from wordfreq import get_frequency_dict  # heavy: only when an answer is judged
    return {w: round(math.log10(f * 1e9), 2) for w, f in get_frequency_dict("nl").items()
            if f > 0}


def zipf(word: str) -> float:
    """The word's zipf frequency in Dutch, 0 for a word the list does not hold."""
    return _frequencies().get(word.lower(), 0.0)


@lru_cache(maxsize=65536)
def is_dutch(word: str) -> bool:
    """A Dutch word: in the list, a compound of two Dutch words, or a name (capital first)."""
    low = word.lower()
    if low.isdigit():
        return True
    if zipf(low) >= KNOWN:
        return True
    if word[:1].isupper() and len(word) > 1:
        return True  # a name, an abbreviation, a place: "Verbeek", "GIR", "Zwijndrecht"
    if low == word.upper():
        return True  # a script without capitals (Arabic, Hebrew, Chinese): not ours to judge
    return _compound(low)


def _compound(low: str) -> bool:
    for cut in range(PART_LENGTH, len(low) - PART_LENGTH + 1):
        head, tail = low[:cut], low[cut:]
        # Dutch joins compounds with -s- or -e(n)- at times: "veiligheidsplan".
        tails = [tail] + ([tail[1:]] if tail[:1] in "s" and len(tail) > PART_LENGTH else [])
        if zipf(head) >= PART_KNOWN and any(zipf(t) >= PART_KNOWN or
                                            (len(t) > 2 * PART_LENGTH and _compound(t))
                                            for t in tails):
            return True
    return False


@lru_cache(maxsize=65536)
def is_informative(word: str) -> bool:
    """A word that carries meaning of its own: a Dutch word used less often than grammar and
    small talk, a name, or a compound; never a negation or a bare number."""
    low = word.lower()
    if low in NEGATIONS or low.isdigit():
        return False
    if word[:1].isupper() and zipf(low) < COMMON:
        return True
    return is_dutch(word) and zipf(low) < COMMON


def stem(word: str) -> str:
    """A crude Dutch stem for matching a word to the same word in another form: its first
    five letters ("melden", "meld" and "meldt" all meet "Meld elk incident")."""
    return word.lower()[:5]


def is_negated(clause: str) -> bool:
    """Whether a clause holds a negation word."""
    return any(w.lower() in NEGATIONS for w in words(clause))


def is_restricted(clause: str) -> bool:
    """Whether a negated clause states a rule ("nooit alleen", "niet zonder")."""
    return any(w.lower() in RESTRICTORS for w in words(clause))
