"""Word tests the clarify checks share: what a clause is, where its verb is, what is a noun.

Why a module of its own: every check in ``clarify_*`` asks the same few questions of the words
("which word is this clause's verb?", "can this word name a thing?"), and the answers must agree
between them, so they are answered once here. :class:`Outcome` is what every check returns.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from executive.language import knowledge as kn
from executive.language import lexicon as lx
from executive.language.clauses import split

Status = str  # "clarify" | "infeasible"


@dataclass(frozen=True)
class Outcome:
    """What to say instead of a plan; ``span`` is the token range an ``--answer`` replaces."""

    status: Status
    question: str | None = None
    reason: str | None = None
    span: tuple[int, int] | None = None


#: Words that start a clause without being its verb.
FILLERS = frozenset({"please", "can", "could", "would", "will", "you", "just", "now", "also",
                      "kindly", "hey", "robot", "ok", "okay", "then", "and", "so", "first",
                      "next", "finally", "lastly", "go", "ahead", "but", "try", "to"})


def clause_words(toks: Sequence[str]) -> list[list[str]]:
    """The request's clauses (clauses.py), each as its words."""
    return [list(toks[s.start : s.end]) for s in split(list(toks))]


def first_verb(words: Sequence[str]) -> tuple[int, str] | None:
    """The first word of a clause after fillers and adverbs ("please just put ..."), and its
    index: where the clause's verb stands when it has one."""
    k = 0
    while k < len(words) and (words[k] in FILLERS or words[k] in lx.ADVERBS):
        k += 1
    return (k, words[k]) if k < len(words) else None


#: Object pronouns that need something said before them to refer to.
PRONOUNS = frozenset({"it", "them", "that", "this", "those", "these"})
#: Determiners that introduce a thing without saying which.
INDEFINITE = frozenset({"a", "an", "some", "any"})
_NOT_NOUNS = PRONOUNS | lx.DETERMINERS | FILLERS | {
    "i", "me", "my", "we", "us", "our", "he", "she", "him", "her", "they", "their", "one",
    "is", "are", "was", "were", "be", "been", "am", "has", "have", "had", "do", "does", "did",
    "not", "no", "of", "to", "in", "on", "with", "for", "at", "from", "by", "up", "down",
    "already", "now", "again", "any", "more", "all", "there", "here", "what", "where",
}


@lru_cache(maxsize=16384)
def any_noun(word: str) -> bool:
    """A word with any noun sense ("place", "spot" are locations, not physical things)."""
    if word in _NOT_NOUNS or not word.isalpha():
        return False
    return is_noun(word) or (kn.available() and bool(kn.noun_senses(word, physical_only=False)))


@lru_cache(maxsize=16384)
def is_noun(word: str) -> bool:
    """A word that can name a thing: a physical WordNet noun, or a noun the lexicon knows."""
    if word in _NOT_NOUNS or not word.isalpha():
        return False
    if word in lx.COMMON_NOUNS or word in lx.PERSON_WORDS or word in lx.ANIMAL_WORDS:
        return True
    if not kn.available():
        return False
    # the most frequent noun sense must be a thing: "needs", "want" are nouns only by a stretch
    wn = kn.reader()
    base = wn.morphy(word, "n")
    senses = wn.synsets(base, "n") if base else []
    return bool(senses) and senses[0].lexname() in kn.PHYSICAL


#: Descriptions that say which things a general noun means ("objects with the same texture").
DESCRIBERS = frozenset({"with", "that", "which", "of", "like", "whose", "matching"})
#: Determiners and quantifiers that make a general noun definite or total ("the items", "all
#: objects", "two items"): the speaker presupposes which.
DEFINITE = frozenset({"the", "all", "every", "each", "both", "these", "those", "this", "that",
                       "my", "your", "our", "his", "her", "their", "its", "other", "remaining"})


@lru_cache(maxsize=4096)
def receptacle(head: str) -> bool:
    """Something to look inside ("drawer", "cupboard", "fridge"): a door or lid the lexicon
    knows, or a WordNet container."""
    word = head.split()[-1] if head else ""
    if not word:
        return False
    if word in lx.OPENABLE_NOUNS:
        return True
    return kn.available() and kn.is_a(word, "container.n.01", senses=1)


@lru_cache(maxsize=4096)
def only_noun(word: str) -> bool:
    """A physical noun with no verb reading in WordNet ("plate", "pate"): a clause that starts
    with it names a thing, not an action."""
    if not kn.available() or not is_noun(word):
        return False
    wn = kn.reader()
    return not wn.synsets(word, "v") and word not in lx.VERB_BASE


@lru_cache(maxsize=4096)
def only_verb(word: str) -> bool:
    """A word WordNet knows only as a verb ("prepare", "restock"): a clause it leads asks for
    an action, whether or not the robot has the skill."""
    if not kn.available() or not word.isalpha():
        return False
    wn = kn.reader()
    return bool(wn.synsets(word, "v")) and not wn.synsets(word, "n")
