"""Text → clean lowercase tokens: unicode folding, contractions, courtesy, typo correction.

Typo correction is lexical: a token that is not a known word is replaced by the closest
word of the vocabulary (Damerau–Levenshtein distance 1 for words of 4–7 letters, 2 for
longer ones, computed by rapidfuzz) — but only when it is not a real English word: a word
WordNet knows ("lamb", "rack", "peach", a soft-drink brand) is kept as written, because
turning a real word into a known one makes the robot fetch the wrong thing with confidence.
Short and unknown-but-plausible words are left alone,
so open-vocabulary nouns ("toaster") survive. Results are cached per vocabulary.
"""

from __future__ import annotations

import re
import unicodedata
import warnings
from collections.abc import Iterable
from functools import lru_cache

from rapidfuzz import process
from rapidfuzz.distance import DamerauLevenshtein

from executive.language import knowledge
from executive.language import lexicon as lx

MAX_CHARS = 2000  # longer inputs are truncated (an instruction is a sentence or three)

# "sofa10", "shelf_3": a simulator's instance name; the word names the thing, the number is an id
_INSTANCE = re.compile(r"\b([a-z]{3,})_?\d+\b", re.IGNORECASE)
_TOKEN = re.compile(r"\d+(?:\.\d+)?|[a-z]+(?:'[a-z]+)?|[,.;!?:\"]", re.IGNORECASE)
_SPACE = re.compile(r"\s+")
_QUOTES = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"', "`": "'"})


def clean(text: str, keep_case: bool = False) -> str:
    """Unicode-fold, drop control characters, lowercase, squeeze whitespace."""
    if not isinstance(text, str):
        text = str(text)
    text = text[:MAX_CHARS].translate(_QUOTES)
    text = unicodedata.normalize("NFKD", text)
    text = "".join(
        c for c in text if (not unicodedata.combining(c) and unicodedata.category(c)[0] != "C")
        or c in "\t\n"
    )
    if not keep_case:
        text = text.lower()
    text = text.replace("&", " and ").replace("+", " and ")
    return _SPACE.sub(" ", text).strip()


def tokenize(text: str) -> list[str]:
    """Lowercase text → word, number and punctuation tokens with contractions expanded."""
    return [low for low, _raw in tokenize_pairs(text)]


def tokenize_pairs(text: str) -> list[tuple[str, str]]:
    """(lowercase token, token as written) pairs; expansions are lowercase in both."""
    out: list[tuple[str, str]] = []
    for raw in _TOKEN.findall(_INSTANCE.sub(r"\1", text)):
        tok = raw.lower()
        tok = lx.SHORTHANDS.get(tok, tok)
        if tok in lx.CONTRACTIONS:
            out.extend((w, w) for w in lx.CONTRACTIONS[tok].split())
        elif tok.endswith("'s") and len(tok) > 2:
            owner = tok[:-2]
            if owner in lx.PERSON_WORDS or owner in lx.ANIMAL_WORDS:
                continue  # "the dog's bowl" → "the bowl": the owner does not ground
            if raw[0].isupper() and not raw[1:-2].isupper() and not knowledge.is_word(owner):
                out.append((tok, raw))  # "Rubik's cube": a proper name's possessive names the kind
                continue
            out.append((owner, raw[:-2]))
            out.append(("'s", "'s"))  # read by _possessive_regions, then dropped
        elif " " in tok:
            out.extend((w, w) for w in tok.split())
        else:
            out.append((tok.replace("'", ""), raw if raw.lower() == tok else tok))
    return _possessive_regions(out)


#: Nouns for a region of a thing ("the cooktop's surface" is somewhere on the cooktop).
REGIONS = frozenset({"middle", "center", "centre", "edge", "side", "end", "corner", "surface",
                     "top", "bottom", "back", "interior", "inside", "rim", "half"})


def _possessive_regions(pairs: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """"the cooktop's surface", "the table's edge": a thing's region said with the possessive
    is the same phrase as "the surface of the cooktop", which names the cooktop (where on it is
    the skill's to choose), so it is read in that order; any other possessive's owner stays a
    modifier of the noun after it ("the stove's knob" → "stove knob")."""
    out: list[tuple[str, str]] = []
    k = 0
    while k < len(pairs):
        if pairs[k][0] != "'s":
            out.append(pairs[k])
            k += 1
            continue
        after = pairs[k + 2][0] if k + 2 < len(pairs) else "."
        if out and k + 1 < len(pairs) and pairs[k + 1][0] in REGIONS and (
                not after.isalpha() or after in lx.FUNCTION_WORDS):  # not "the stove's back burner"
            owner = out.pop()
            out.extend([pairs[k + 1], ("of", "of"), owner])
            k += 2
            continue
        k += 1
    return out


class Vocabulary:
    """Known words and a cached typo corrector over them."""

    def __init__(self, extra: Iterable[str] = ()) -> None:
        content: set[str] = set(lx.COMMON_NOUNS) | set(lx.COLOURS) | set(lx.SIZES)
        content |= set(lx.MATERIALS) | set(lx.PERSON_WORDS) | set(lx.ANIMAL_WORDS)
        content |= set(lx.VERBS) | {p[0] for p in lx.PHRASAL_VERBS} | set(lx.INFEASIBLE_VERBS)
        content |= set(lx.HARM_VERBS) | set(lx.DAMAGE_VERBS) | set(lx.GENERIC_HEADS)
        extra = list(extra)
        for w in extra:
            content |= set(w.split())
        words: set[str] = set(lx.VERB_BASE) | set(lx.FUNCTION_WORDS) | content
        words |= set(lx.NUMBER_WORDS) | set(lx.TIME_UNITS)
        words |= set(lx.ADVERBS) | set(lx.DETERMINERS) | set(lx.STATE_WORDS)
        words |= {w for p in lx.PREPOSITIONS for w in p} | set(lx.ORDINALS)
        words |= {w for p in lx.LEADING_FILLERS + lx.TRAILING_FILLERS for w in p}
        words |= {w for p in lx.COMPOUND_HEADS for w in p} | set(lx.PARTITIVES)
        words |= {w for p in lx.WISH_PREFIXES + lx.FIND_QUESTIONS for w in p}
        words |= set(lx.EXTRA_KNOWN)
        noun_like = set(lx.COMMON_NOUNS) | set(lx.PERSON_WORDS) | set(lx.ANIMAL_WORDS)
        noun_like |= {w for name in extra for w in name.split()} | set(lx.GENERIC_HEADS)
        nouns = {plural(w) for w in noun_like if w.isalpha() and len(w) > 2}
        self.known: frozenset[str] = frozenset(words | nouns)
        # Correction targets: base forms and nouns (never inflections, never tiny words).
        targets = content | nouns | set(lx.FUNCTION_WORDS) | set(lx.NUMBER_WORDS)
        targets |= {w for p in lx.PREPOSITIONS for w in p} | set(lx.STATE_WORDS)
        targets |= set(lx.DETERMINERS)
        self._targets: tuple[str, ...] = tuple(
            sorted(w for w in targets if len(w) >= 3 and w.isalpha())
        )
        self._content = frozenset(content | nouns)
        self._cache: dict[str, str] = {}

    def correct(self, tok: str) -> str:
        """The vocabulary word ``tok`` is a typo of, or ``tok`` itself."""
        if tok in self.known or not tok.isalpha() or len(tok) < 3:
            return tok
        hit = self._cache.get(tok)
        if hit is not None:
            return hit
        out = tok if _real_word(tok) else self._lookup(tok)
        if out == tok and knowledge.available() and not _real_word(tok):
            out = _doubled_letter(tok)
        if len(self._cache) < 50_000:
            self._cache[tok] = out
        return out

    def _lookup(self, tok: str) -> str:
        letters = sorted(tok)
        if len(tok) == 3:  # only a swap of two neighbours ("cpu" → "cup", "teh" → "the")
            for k in range(2):
                swapped = tok[:k] + tok[k + 1] + tok[k] + tok[k + 2 :]
                if swapped in self.known:
                    return swapped
            return tok
        limit = 1 if len(tok) <= 7 else 2
        found = process.extract(tok, self._targets, scorer=DamerauLevenshtein.distance,
                                score_cutoff=limit, limit=None)
        if not found:
            return tok

        def rank(hit: tuple[str, float, int]) -> tuple[float, int, int, int, int, str]:
            word, dist = hit[0], hit[1]
            return (dist, 0 if sorted(word) == letters else 1, 0 if word in self._content else 1,
                    0 if len(word) >= len(tok) else 1, abs(len(word) - len(tok)), word)

        return min(found, key=rank)[0]


def _real_word(tok: str) -> bool:
    """A word WordNet knows is never "corrected" ("lamb", "rack", "peach", "pepsi" stay).

    Without WordNet (not installed) the corrector works as before and says so once.
    """
    if not knowledge.available():
        if not _WARNED:
            _WARNED.append(True)
            warnings.warn(f"typo correction without a dictionary: {knowledge.unavailable_reason()}",
                          RuntimeWarning, stacklevel=3)
        return False
    return knowledge.is_word(tok)


_WARNED: list[bool] = []


def _doubled_letter(tok: str) -> str:
    """"esspresso" → "espresso", "tabble" → "table": a word no dictionary knows that becomes
    exactly one WordNet word when one doubled letter is written once is that word (a key
    pressed twice, the commonest typo the vocabulary corrector misses for words outside its
    list). Otherwise the token as written: a name stays a name."""
    found = {tok[:k] + tok[k + 1 :] for k in range(len(tok) - 1) if tok[k] == tok[k + 1]}
    words = sorted(w for w in found if knowledge.is_word(w))
    return words[0] if len(words) == 1 else tok


def plural(word: str) -> str:
    if word.endswith(("s", "x", "ch", "sh")):
        return word + "es"
    if word.endswith("y") and len(word) > 2 and word[-2] not in "aeiou":
        return word[:-1] + "ies"
    if word.endswith("fe"):
        return word[:-2] + "ves"
    return word + "s"


_IRREGULAR_PLURALS = {
    "knives": "knife", "people": "person", "children": "child", "mice": "mouse",
    "leaves": "leaf", "shelves": "shelf", "loaves": "loaf", "feet": "foot", "men": "man",
    "women": "woman", "teeth": "tooth", "geese": "goose", "dishes": "dish",
    "boxes": "box", "glasses": "glass", "batteries": "battery", "potatoes": "potato",
    "tomatoes": "tomato", "matches": "match", "sandwiches": "sandwich", "keys": "key",
    "toys": "toy", "trays": "tray", "series": "series", "species": "species",
    "scissors": "scissors", "pants": "pants", "clothes": "clothes", "stairs": "stairs",
    "blinds": "blinds", "news": "news", "dumbbells": "dumbbell", "benches": "bench",
    "brushes": "brush", "couches": "couch", "buses": "bus", "lenses": "lens",
}


@lru_cache(maxsize=8192)
def singular(word: str) -> str:
    """Cheap English singular for nouns (``cups`` → ``cup``, ``knives`` → ``knife``).

    "-ves" is ambiguous ("knives" → knife, "shelves" → shelf, but "gloves" → glove,
    "olives" → olive): the form WordNet knows as a noun wins; without WordNet, "-ves" after
    a vowel pair or "o" keeps its "e" ("sleeves", "gloves", "stoves").
    """
    if word in _IRREGULAR_PLURALS:
        return _IRREGULAR_PLURALS[word]
    if len(word) <= 3 or word.endswith(("ss", "us", "is", "ous")):
        return word
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith(("ches", "shes", "xes", "sses", "zes")):
        return word[:-2]
    if word.endswith("ves") and len(word) > 4:
        stem = word[:-3]
        if knowledge.available():
            wn = knowledge.reader()
            for cand in (stem + "f", stem + "ve", stem + "fe"):
                if wn.synsets(cand, "n"):
                    return cand
        return stem + ("ve" if stem.endswith(("o", "ee", "ea", "u")) and not stem.endswith(
            ("loa", "lea", "hoo")) else "f")
    if word.endswith("s"):
        return word[:-1]
    return word


def is_plural(word: str) -> bool:
    return singular(word) != word and word not in {"scissors", "glasses", "clothes"}
