"""Intermediate structures between words and the Plan: noun phrases, conditions, frames."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(eq=False)
class NounPhrase:
    """A reference to one or more things, before grounding.

    ``head`` is the lowercase singular head noun ("cup", "person", "living room"); ``mods``
    the other words in front of it; ``pps`` modifying prepositional phrases
    (canonical preposition, noun phrase), e.g. ``("on", <table>)``.
    """

    head: str | None
    mods: tuple[str, ...] = ()
    raw: str = ""
    colour: str | None = None
    size: str | None = None
    material: str | None = None
    quantity: int | None = None
    all: bool = False
    plural: bool = False
    ordinal: int | None = None
    anaphor: str | None = None  # "it" | "them" | "one" (one-substitution) | "there"
    pps: list[tuple[str, NounPhrase]] = field(default_factory=list)
    person: bool = False
    animal: bool = False
    antecedent: NounPhrase | None = None
    generic: bool = False  # "thing", "something": any object
    indefinite: bool = False  # "a cup", "any cup": one of them will do

    @property
    def phrase(self) -> str:
        """Words without determiners: "red cup"."""
        words = [*self.mods, self.head or "one"]
        return " ".join(words)

    def resolved(self) -> NounPhrase:
        """Follow anaphora links to the phrase that names the thing."""
        np: NounPhrase = self
        seen = 0
        while np.anaphor in ("it", "them", "there") and np.antecedent is not None and seen < 20:
            np = np.antecedent
            seen += 1
        return np


@dataclass
class Condition:
    state: str
    entity: NounPhrase | None
    negate: bool = False
    unsupported: str | None = None  # a state word we cannot perceive


@dataclass
class Frame:
    """What one clause asks for, in the operator's terms (``kind`` is a frame kind)."""

    kind: str
    verb: str = ""
    objects: list[NounPhrase] = field(default_factory=list)
    target: NounPhrase | None = None
    prep: str | None = None  # canonical goal preposition for target
    recipient: NounPhrase | None = None
    instrument: NounPhrase | None = None
    text: str | None = None
    seconds: float | None = None
    negated: bool = False
    condition: Condition | None = None
    particle: str | None = None  # "down", "away", "back", "out"...
    question: str | None = None  # the clause cannot be done without asking
    order: float = 0.0  # execution order key (textual order with before/after moves)
    textual: int = 0  # textual position, for anaphora
    source_words: str = ""
    pps_seen: list = field(default_factory=list)  # (raw prep, canonical, phrase) as read
    object_pp_order: list[int] = field(default_factory=list)  # PPs read before each object
    pp_at: list[int] = field(default_factory=list)  # token index of each PP's preposition
