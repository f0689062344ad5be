"""Natural-language front end: instruction text → :class:`~executive.plan.Plan` or a reply.

``understand(text, world=None, answer=None) -> Understanding`` with ``status`` one of
``ok`` (``plan`` set), ``refused`` (``reason`` names the hazard), ``clarify`` (``question``,
``candidates``) or ``infeasible`` (``reason``). ``world=None`` is ``--no-ground``: parse only,
open vocabulary, steps name noun phrases instead of entity ids.

Pipeline (one module each, lexical methods only, deterministic):

1. ``normalise``  — unicode folding, control characters dropped, lowercase, contractions,
   tokens; typo correction against the vocabulary (rapidfuzz Damerau–Levenshtein ≤1 for
   4–6 letters, ≤2 longer; words under 4 letters are never corrected; cached).
2. ``clauses``    — split at sentence ends, "then"/"after that", and "and"/","/"but" when a
   verb or negation follows; "before you X, Y" → Y, X; "Y after you X" → X, Y; "Y, but first
   X" → X, Y; "if/unless/when …" clauses become the condition of their clause.
3. ``parse``      — per clause: strip courtesy ("could you please", "hey robot", "thanks"),
   negation → avoid constraint, wishes ("I want X" = bring me X), "where is X" = find,
   phrasal verbs with separable particles ("turn the tv on"), indirect objects ("bring me"),
   noun phrases (quantities, "all", colour/size/material, partitives, "the red one"),
   prepositional phrases; the verb's frame kind decides which phrase is the goal.
4. anaphora (``understand``) — "it/that/this/them/that one/there/the red one" resolve to the
   most recent compatible mention in textual order (openable for open/close, switchable for
   toggles, graspable for manipulation).
5. ``safety``     — separate gate over the text, then over the parsed plan (and again over the
   grounded plan with materials): harm to people/animals, sharp objects toward people,
   damage, fire, metal in the microwave, liquids on electronics, flammables on the stove,
   blocked exits, hidden medicine, disabled alarms, poisoning. Runs before anything can
   turn the request into "infeasible" or a question.
6. ``grounding``  — noun phrase → entity ids (names/aliases, attributes, location filters).
   Several matches for a singular phrase → a question naming the candidates by colour and
   place; ``answer`` ("the red one", "the one in the sink", "the second", "all") narrows it.
   No match → infeasible with what *is* known.
7. ``expand``     — frames → steps with implied steps (bring = pick + give, put = pick +
   place, throw away = pick + place → bin, heat = pick + place → microwave + toggle_on,
   pour = pick + pour), ``depends_on`` from each place/give/pour to its pick, one group per
   match for "all"/plurals, ``params["if"]`` for conditions. No navigate/open/find steps are
   added for preconditions: the compiler does that.

Choices: empty or courtesy-only text → ``clarify`` ("What would you like me to do?"); text
with no verb we know (gibberish, "fly to the roof", "cook dinner") → ``infeasible``.
"Hand me the knife" is allowed (the hand-over presents the handle); throwing or pointing it
at someone, or giving it to a child or an animal, is refused. ``to_plan_json`` reports the
head nouns as the operator said them (singular, lowercase; "person" for any person; a few
compounds kept whole: "living room", "trash can"). A pure constraint ("don't touch the
knife") is ``ok`` with no steps and one constraint. "next to X" grounds as "in X's room".
A place without a goal ("put the cup") asks where; "put it down" places with no target.

Known limits: no real syntax (relative clauses beyond "that is/which is", nested
coordination, long-range pronouns); the typo corrector can turn an unknown word into a known
one at distance 1 ("lamb" → "lamp"); speech text is lowercased; conditions attach to the one
clause they introduce; quantities beyond what the world has are infeasible, not partial.
"""

from executive.language.hazards import Hazard, check_plan, check_text
from executive.language.static_world import StaticWorld
from executive.language.understand import Understanding, understand

__all__ = ["Hazard", "StaticWorld", "Understanding", "check_plan", "check_text", "understand"]
