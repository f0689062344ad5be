"""Word lists of the language layer: verbs and their skills, nouns, attributes, fillers.

Everything here is data. Verb entries map a surface form to a *frame kind* (what the
operator means), not directly to a skill: ``bring`` expands to pick + give, ``put`` to pick +
place, and so on (see :mod:`executive.language.expand`). Inflected forms (``-s``, ``-ing``,
``-ed``) are generated, so ``bringing`` or ``wiped`` parse like their base verbs.
"""

from __future__ import annotations

# --- frame kinds -------------------------------------------------------------------------
# bring   pick X, then give X to a person (default) or place X at an explicit target
# pick    pick X (plus give when a recipient is named)
# place   pick X unless held, place X at target
# give    pick X unless held, give X to recipient (default person)
# take    pick X; like bring when a target is named
# discard pick X, place X in the bin
# heat    pick X, place X in the microwave, turn the microwave on
# fill    "fill Y with X" = pick X, pour X into Y
# throw   toss: to a person = hand over, into the bin = discard, elsewhere = unsafe
# navigate / find / open / close / toggle_on / toggle_off / wipe / pour / push / say / wait
# unknown verbs the robot recognises but has no skill for are listed in INFEASIBLE_VERBS.

#: Multi-word verbs first (longest match wins). Value: (frame kind, particle hint).
PHRASAL_VERBS: dict[tuple[str, ...], str] = {
    ("pick", "up"): "pick",
    ("pick", "out"): "pick",
    ("lift", "up"): "pick",
    ("get", "hold", "of"): "pick",
    ("get", "rid", "of"): "discard",
    ("throw", "away"): "discard",
    ("throw", "out"): "discard",
    ("toss", "away"): "discard",
    ("toss", "out"): "discard",
    ("chuck", "out"): "discard",
    ("chuck", "away"): "discard",
    ("dispose", "of"): "discard",
    ("put", "away"): "place",
    ("put", "back"): "place",
    ("put", "down"): "place",
    ("set", "down"): "place",
    ("turn", "on"): "toggle_on",
    ("turn", "off"): "toggle_off",
    ("switch", "on"): "toggle_on",
    ("switch", "off"): "toggle_off",
    ("power", "on"): "toggle_on",
    ("power", "off"): "toggle_off",
    ("power", "up"): "toggle_on",
    ("power", "down"): "toggle_off",
    ("shut", "off"): "toggle_off",
    ("shut", "down"): "toggle_off",
    ("start", "up"): "toggle_on",
    ("light", "up"): "toggle_on",
    ("look", "for"): "find",
    ("look", "around", "for"): "find",
    ("search", "for"): "find",
    ("hunt", "for"): "find",
    ("look", "at"): "find",
    ("check", "on"): "find",
    ("go", "to"): "navigate",
    ("go", "into"): "navigate",
    ("go", "back", "to"): "navigate",
    ("come", "here"): "navigate",
    ("come", "back"): "navigate",
    ("come", "to"): "navigate",
    ("head", "to"): "navigate",
    ("head", "over", "to"): "navigate",
    ("go", "over", "to"): "navigate",
    ("move", "to"): "navigate",
    ("get", "to"): "navigate",
    ("walk", "to"): "navigate",
    ("drive", "to"): "navigate",
    ("clean", "up"): "wipe",
    ("wipe", "down"): "wipe",
    ("wipe", "off"): "wipe",
    ("hand", "over"): "give",
    ("pass", "over"): "give",
    ("heat", "up"): "heat",
    ("warm", "up"): "heat",
    ("hold", "on"): "wait",
    ("hang", "on"): "wait",
    ("stand", "by"): "wait",
    ("let", "know"): "say",
    ("take", "out"): "take",
}

#: Single-word verbs → frame kind.
VERBS: dict[str, str] = {
    "bring": "bring", "fetch": "bring", "get": "bring", "retrieve": "bring",
    "deliver": "bring", "carry": "bring", "collect": "pick",
    "grab": "pick", "pick": "pick", "lift": "pick", "grasp": "pick", "hold": "pick",
    "take": "take", "remove": "take",
    "put": "place", "place": "place", "set": "place", "move": "place", "drop": "place",
    "leave": "place", "store": "place", "stack": "place", "return": "place",
    "insert": "place", "stick": "place", "stash": "place", "relocate": "place", "hang": "place",
    "transfer": "place", "load": "place",
    # placing by another name: "pack X in Y", "add X to Y", "hide X under Y" (without Y: asked)
    "pack": "place", "add": "place", "hide": "place", "position": "place",
    "give": "give", "hand": "give", "pass": "give", "offer": "give", "serve": "give",
    "open": "open", "unseal": "open",
    "close": "close", "shut": "close",
    "clean": "wipe", "wipe": "wipe", "scrub": "wipe", "wash": "wipe", "dust": "wipe",
    "polish": "wipe", "mop": "wipe", "rinse": "wipe",
    "pour": "pour", "empty": "pour", "fill": "fill", "refill": "fill",
    "go": "navigate", "navigate": "navigate", "head": "navigate", "come": "navigate",
    "walk": "navigate", "drive": "navigate", "proceed": "navigate", "travel": "navigate",
    "approach": "navigate", "visit": "navigate", "enter": "navigate",
    "find": "find", "locate": "find", "search": "find", "seek": "find", "spot": "find",
    "check": "find", "inspect": "find", "identify": "find", "detect": "find",
    "tell": "say", "say": "say", "announce": "say", "speak": "say", "inform": "say",
    "remind": "say", "ask": "say", "repeat": "say", "shout": "say", "yell": "say",
    "wait": "wait", "pause": "wait", "stay": "wait", "idle": "wait",
    "push": "push", "press": "push", "nudge": "push", "shove": "push", "slide": "push",
    "discard": "discard", "trash": "discard", "bin": "discard", "toss": "throw",
    "throw": "throw", "chuck": "throw", "fling": "throw", "hurl": "throw",
    "heat": "heat", "warm": "heat", "reheat": "heat", "microwave": "heat",
    "activate": "toggle_on", "deactivate": "toggle_off", "start": "toggle_on",
    "stop": "toggle_off",
}

#: Verbs the robot understands but has no skill for: "infeasible", never typo-corrected.
INFEASIBLE_VERBS: frozenset[str] = frozenset(
    [
        "fly", "climb", "cook", "bake", "fry", "boil", "grill", "roast", "swim", "jump", "dance", "sing",
        "cut", "chop", "slice", "peel", "dice", "fold", "iron", "sew", "knit", "paint", "draw", "write",
        "read", "eat", "drink", "feed", "vacuum", "sweep", "repair", "fix", "build", "assemble",
        "lock", "unlock", "charge", "plug", "unplug", "call", "text", "email", "order", "buy", "sell",
        "play", "sleep", "laugh", "cry", "run", "follow", "teleport", "make", "brew", "mix", "stir",
        "blend", "tie", "untie", "dig", "plant", "mow", "shower", "bathe", "dress", "undress",
        "brush", "comb", "shave", "teach", "learn", "study", "marry", "hug", "kiss", "tickle", "answer",
        "type", "print", "sign", "count", "measure", "weigh", "calculate", "compute", "translate",
        "stir", "whisk", "knead", "spread", "squeeze", "tidy", "organize", "organise", "arrange", "sort",
        "decorate", "wrap", "unwrap", "unpack", "install", "uninstall", "download", "upload",
        "drill", "hammer", "saw", "screw", "unscrew", "glue", "tape", "shoot", "drown", "flip", "spin",
        "roll", "bounce", "kneel", "crawl", "sit", "stand", "lie", "lay", "breathe", "smell", "taste",
        "lick", "chew", "swallow", "bite", "spit", "steal", "apply", "spray", "coat",
    ]
)

#: Harmful or destructive verbs the safety gate looks for (never typo-corrected either).
HARM_VERBS: frozenset[str] = frozenset(
    [
        "hit", "kick", "punch", "slap", "hurt", "harm", "injure", "attack", "stab", "kill", "murder",
        "strangle", "choke", "beat", "trip", "poison", "scare", "frighten", "torture", "abuse", "smack",
        "whack", "bash", "shoot", "wound", "scald", "burn",
    ]
)
DAMAGE_VERBS: frozenset[str] = frozenset(
    [
        "smash", "break", "shatter", "destroy", "wreck", "crush", "vandalize", "vandalise", "damage",
        "ruin", "tear", "rip", "scratch", "dent", "demolish", "trash",
    ]
)
FIRE_VERBS: frozenset[str] = frozenset(["ignite", "burn", "torch", "incinerate"])

#: Irregular past forms and participles → base form.
IRREGULAR: dict[str, str] = {
    "brought": "bring", "got": "get", "gotten": "get", "took": "take", "taken": "take",
    "put": "put", "went": "go", "gone": "go", "came": "come", "found": "find",
    "told": "tell", "said": "say", "gave": "give", "given": "give", "threw": "throw",
    "thrown": "throw", "shut": "shut", "held": "hold", "left": "leave", "set": "set",
    "swept": "sweep", "ate": "eat", "drank": "drink", "flew": "fly", "broke": "break",
    "broken": "break", "hid": "hide", "hidden": "hide", "stole": "steal", "cut": "cut",
    "drove": "drive", "ran": "run", "hit": "hit", "hurt": "hurt", "made": "make",
    "lit": "light", "done": "do", "did": "do", "sat": "sit", "stood": "stand",
    "spoke": "speak", "sought": "seek", "fed": "feed", "built": "build", "dug": "dig",
}

#: Modal/politeness prefixes stripped from the start of a clause (longest first).
LEADING_FILLERS: tuple[tuple[str, ...], ...] = tuple(
    tuple(p.split())
    for p in sorted(
        [
            "hey robot", "hi robot", "hello robot", "ok robot", "okay robot", "yo robot",
            "robot", "hey", "hi", "hello", "ok", "okay", "so", "well", "alright", "right",
            "please", "kindly", "pls", "plz", "now", "just", "also", "and", "then", "but",
            "next", "finally", "lastly", "afterwards", "first", "firstly", "second",
            "secondly", "third", "thirdly", "quickly", "quick", "carefully", "gently",
            "slowly", "immediately", "again",
            "can you", "could you", "would you", "will you", "can u", "could u", "would u",
            "would you mind", "do you mind", "would you be so kind as to",
            "would you be able to", "could you be able to", "are you able to",
            "i want you to", "i need you to", "i would like you to", "i would love you to",
            "i wish you would", "i would appreciate if you could", "i'd like you to",
            "you should", "you need to", "you must", "you have to", "you can", "you could",
            "you will", "you may", "you might", "you",
            "go ahead and", "be sure to", "make sure to", "make sure you", "remember to",
            "don't forget to", "do not forget to", "try to", "try and", "please try to",
            "help me", "help me to", "i need help to", "let us", "let's", "lets",
            "it would be great if you could", "it would be nice if you could",
            "if you could", "if you can", "if possible", "when you can",
            "at once", "right away", "for me",
            # obligation frames: what has to happen is the task ("we need to put X on Y")
            "we need to", "we have to", "we must", "we should", "we want to", "we will",
            "we can", "need to", "have to", "may have to", "might have to", "will have to",
            "may need to", "might need to", "you will need to", "you may need to",
            "you might need to", "you may want to", "you might want to", "i want to",
        ],
        key=lambda p: -len(p.split()),
    )
)

#: Trailing courtesy removed from the end of the text or a clause.
TRAILING_FILLERS: tuple[tuple[str, ...], ...] = tuple(
    tuple(p.split())
    for p in sorted(
        [
            "please", "thanks", "thank you", "thank you very much", "thanks a lot",
            "cheers", "ok", "okay", "now", "right now", "for me", "if you can",
            "if possible", "if you could", "when you can", "when you get a chance",
            "asap", "quickly", "carefully", "gently", "slowly", "at once", "right away",
            "immediately", "again", "robot", "buddy", "mate", "thx", "ty", "pls", "plz",
            "too", "as well", "will you", "would you", "could you", "won't you",
            "for a moment", "real quick", "first",
        ],
        key=lambda p: -len(p.split()),
    )
)

#: Adverbs dropped anywhere in a clause (the parser records nothing for them).
ADVERBS: frozenset[str] = frozenset(
    [
        "please", "carefully", "gently", "slowly", "quickly", "softly", "kindly", "immediately", "now",
        "also", "just", "really", "very", "quietly", "safely", "properly", "thoroughly", "right",
    ]
)

DETERMINERS: frozenset[str] = frozenset(
    [
        "the", "a", "an", "my", "your", "our", "his", "her", "their", "its", "this", "that", "these",
        "those", "some", "any", "another", "other",
    ]
)
QUANTIFIERS_ALL: frozenset[str] = frozenset({"all", "every", "each", "both"})
NUMBER_WORDS: dict[str, int] = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
    "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18,
    "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60,
    "couple": 2, "pair": 2, "half": 0, "single": 1, "dozen": 12,
}
ORDINALS: dict[str, int] = {
    "first": 0, "1st": 0, "second": 1, "2nd": 1, "third": 2, "3rd": 2, "fourth": 3,
    "4th": 3, "fifth": 4, "5th": 4, "last": -1,
}
TIME_UNITS: dict[str, float] = {
    "s": 1, "sec": 1, "secs": 1, "second": 1, "seconds": 1, "moment": 1, "moments": 1,
    "min": 60, "mins": 60, "minute": 60, "minutes": 60, "hour": 3600, "hours": 3600,
    "hr": 3600, "hrs": 3600, "ms": 0.001, "millisecond": 0.001, "milliseconds": 0.001,
    "bit": 3, "while": 10, "sec.": 1,
}
DEFAULT_WAIT_S: float = 5.0

COLOURS: frozenset[str] = frozenset(
    [
        "red", "blue", "green", "yellow", "white", "black", "silver", "grey", "gray", "orange", "purple",
        "pink", "brown", "gold", "golden", "beige", "violet", "cyan", "magenta", "turquoise", "navy",
    ]
)
COLOUR_CANON: dict[str, str] = {"gray": "grey", "golden": "gold"}
SIZES: dict[str, str] = {
    "small": "small", "little": "small", "tiny": "small", "mini": "small",
    "medium": "medium", "large": "large", "big": "large", "huge": "large",
    "giant": "large", "bigger": "large", "biggest": "large", "smaller": "small",
    "smallest": "small", "larger": "large", "largest": "large",
}
MATERIALS: dict[str, str] = {
    "plastic": "plastic", "ceramic": "ceramic", "porcelain": "ceramic", "metal": "metal",
    "metallic": "metal", "steel": "metal", "iron": "metal", "aluminium": "metal",
    "aluminum": "metal", "paper": "paper", "cardboard": "cardboard", "wooden": "wood",
    "wood": "wood", "fabric": "fabric", "cloth": "fabric", "cotton": "fabric",
    "rubber": "rubber", "foam": "foam", "glass": "glass", "electronic": "electronic",
}

#: Words that mean the operator (or another person) when they are the recipient/target.
PERSON_WORDS: frozenset[str] = frozenset(
    [
        "me", "us", "person", "operator", "user", "human", "him", "her", "someone", "somebody", "anyone",
        "people", "man", "woman", "guy", "lady", "child", "kid", "baby", "boy", "girl", "mom", "mum",
        "mother", "dad", "father", "grandma", "grandpa", "grandmother", "grandfather", "granny", "wife",
        "husband", "friend", "guest", "visitor", "boss", "sister", "brother", "son", "daughter",
        "toddler", "everyone", "everybody", "myself", "children", "kids", "infant", "neighbour",
        "neighbor", "roommate", "partner", "owner", "master", "sir", "madam",
    ]
)
CHILD_WORDS: frozenset[str] = frozenset(
    ["child", "kid", "baby", "boy", "girl", "son", "daughter", "toddler", "children", "kids", "infant"]
)
ANIMAL_WORDS: frozenset[str] = frozenset(
    [
        "cat", "dog", "kitten", "puppy", "pet", "bird", "hamster", "fish", "rabbit", "bunny", "parrot",
        "animal", "goldfish", "cats", "dogs", "pets", "kitty", "doggy", "turtle", "mouse", "guinea",
    ]
)

#: Real words the corrector must leave alone (and never correct into).
_EXTRA_KNOWN_WORDS = (
    "point aim swing wave knock spill splash spray block barricade obstruct what whats "
    "thing things laundry dinner lunch breakfast song joke story weather time stapler "
    "house car roof mars moon bread cake news lights hello goodbye bye yes no maybe "
    "windowsill package newspaper wallet salt tomato kettle garden garage whole entire own "
    # common English words that are not commands but must not be "corrected" into ones
    "touch use handle bother disturb wake forget remember want need like love know think "
    "mean meant see look watch listen hear feel keep help happen begin finish care mind "
    "thank thanks sorry welcome great good bad nice fine sure right wrong left middle "
    "dirty clean empty full hot cold warm wet dry old new broken ripe fresh heavy sharp "
    "fragile favourite favorite careful ready done busy tired hungry thirsty sick late "
    "early soon today tonight tomorrow yesterday morning evening night noon minute hour "
    "day week everything nothing anything something someone anyone nobody other same "
    "different another first last next many much more most few less least enough only "
    "also maybe perhaps really actually probably quite rather still already even ever "
    "never always sometimes often usually again almost about above across after against "
    "along among around because been before behind below beneath beside between beyond "
    "during except inside instead outside since though through toward under until upon "
    "while within without would should could might shall must does doing done have "
    "having make made take taken give given come coming going gone went goes said says "
    "tell told ask asked answer question problem thing stuff way place part side end "
    "top bottom front back inside outside corner edge centre center floor ceiling table "
    "fire alarm smoke candle drill exit child kids mom dad dinner ready home there where "
    "when which whose whom what why how yes okay please robot"
)
EXTRA_KNOWN: frozenset[str] = frozenset(_EXTRA_KNOWN_WORDS.split())

#: Heads that name nothing in particular ("the black thing"): any object may match.
GENERIC_HEADS: frozenset[str] = frozenset({"thing", "object", "item", "stuff", "things"})
#: Parts of a fixture: "the cabinet door" names the cabinet.
PART_WORDS: frozenset[str] = frozenset({"door", "lid", "handle", "top", "shelf"})

#: Pronouns resolved against earlier noun phrases.
ANAPHORS: frozenset[str] = frozenset({"it", "them", "that", "this", "those", "these", "one"})

#: Prepositions that open a prepositional phrase (multi-word ones first).
PREPOSITIONS: tuple[tuple[str, ...], ...] = tuple(
    tuple(p.split())
    for p in sorted(
        [
            "to", "into", "in", "inside", "on", "onto", "on top of", "in front of",
            "next to", "beside", "besides", "near", "nearby", "by", "under", "underneath",
            "below", "behind", "from", "out of", "off", "off of", "at", "with", "for",
            "over", "across", "toward", "towards", "back to", "back in", "back into",
            "back on", "back onto", "inside of", "within", "close to", "up to", "above",
            "beneath", "against", "along", "through", "around", "onto the top of",
            "in between", "between", "opposite", "away from", "out from", "using", "upon",
            "to the right of", "to the left of", "on the right of", "on the left of",
            "right of", "left of", "on the right side of", "on the left side of",
            "closer to", "nearer to",
        ],
        key=lambda p: -len(p.split()),
    )
)
PREP_CANON: dict[str, str] = {
    "into": "in", "inside": "in", "inside of": "in", "within": "in", "back in": "in",
    "back into": "in", "onto": "on", "on top of": "on", "back on": "on",
    "back onto": "on", "onto the top of": "on", "above": "on",
    "next to": "near", "beside": "near", "besides": "near", "nearby": "near", "by": "near",
    "close to": "near", "against": "near", "opposite": "near", "in front of": "front",
    "using": "with", "upon": "on", "to the right of": "near", "to the left of": "near",
    "on the right of": "near", "on the left of": "near", "right of": "near", "left of": "near",
    "on the right side of": "near", "on the left side of": "near", "closer to": "near",
    "nearer to": "near",
    "back to": "to", "toward": "to", "towards": "to", "up to": "to",
    "out of": "from", "off": "from", "off of": "from", "out from": "from",
    "away from": "from", "underneath": "under", "below": "under", "beneath": "under",
}
#: Canonical prepositions that mark where something goes (for placing verbs).
GOAL_PREPS: frozenset[str] = frozenset({"to", "in", "on", "near", "under", "front", "over"})

#: Nouns known without a world (used for typo correction and open-vocabulary parsing).
COMMON_NOUNS: frozenset[str] = frozenset(
    [
        "cup", "mug", "glass", "bottle", "plate", "bowl", "spoon", "fork", "knife", "apple", "banana",
        "orange", "milk", "water", "juice", "coffee", "tea", "sponge", "towel", "book", "remote",
        "phone", "ball", "cube", "box", "bin", "trash", "garbage", "sink", "fridge", "refrigerator",
        "freezer", "microwave", "oven", "stove", "drawer", "cabinet", "cupboard", "shelf", "bookshelf",
        "table", "counter", "countertop", "sofa", "couch", "bed", "nightstand", "wardrobe", "closet",
        "desk", "chair", "lamp", "light", "lights", "tv", "television", "door", "window", "kitchen",
        "bedroom", "bathroom", "room", "hallway", "garage", "floor", "wall", "medicine", "pills", "pill",
        "medication", "dumbbell", "carton", "laptop", "computer", "keyboard", "tablet", "charger",
        "keys", "key", "wallet", "bag", "basket", "toy", "toys", "doll", "pen", "pencil", "paper",
        "napkin", "tissue", "toothbrush", "toothpaste", "soap", "shampoo", "bread", "cheese", "egg",
        "eggs", "salt", "pepper", "sugar", "snack", "cookie", "cake", "sandwich", "pizza", "fruit",
        "vegetable", "tomato", "potato", "onion", "carrot", "lemon", "jar", "can", "pot", "pan",
        "kettle", "toaster", "dishwasher", "dish", "dishes", "tray", "lid", "button", "switch", "handle",
        "vase", "plant", "flower", "flowers", "pillow", "blanket", "sheet", "shirt", "shoe", "shoes",
        "sock", "socks", "jacket", "hat", "glasses", "umbrella", "scissors", "candle", "matches",
        "lighter", "battery", "batteries", "cable", "cord", "outlet", "socket", "plug", "exit", "stairs",
        "staircase", "entrance", "corridor", "office", "dining", "garden", "yard", "porch", "balcony",
        "mat", "rug", "carpet", "curtain", "blinds", "clock", "picture", "mirror", "cushion", "spoons",
        "forks", "knives", "plates", "bowls", "cups", "mugs", "apples", "bananas", "bottles", "books",
        "pen", "cereal", "soup", "wine", "beer", "soda", "oil", "vinegar", "bleach", "detergent",
        "cleaner", "spray", "trashcan", "console", "speaker", "radio", "monitor", "router", "screen",
        "note", "letter", "package", "parcel", "mail", "newspaper", "magazine", "notebook", "folder",
        "glove", "gloves", "container", "tupperware", "thermos", "flask", "dock", "charger", "base",
        "station", "home", "cat", "dog", "fish", "bird", "baby", "child", "person",
    ]
)
#: Nouns that name fixtures/places (not graspable) when no world tells otherwise.
FIXTURE_NOUNS: frozenset[str] = frozenset(
    [
        "sink", "fridge", "refrigerator", "freezer", "microwave", "oven", "stove", "drawer", "cabinet",
        "cupboard", "shelf", "bookshelf", "table", "counter", "countertop", "sofa", "couch", "bed",
        "nightstand", "wardrobe", "closet", "desk", "door", "window", "floor", "wall", "tv",
        "television", "lamp", "light", "dishwasher", "bin", "trash", "garbage", "trashcan", "kitchen",
        "bedroom", "bathroom", "room", "hallway", "garage", "office", "garden",
    ]
)
#: Fixtures with a door/lid (antecedents for open/close pronouns without a world).
OPENABLE_NOUNS: frozenset[str] = frozenset(
    [
        "fridge", "refrigerator", "freezer", "microwave", "oven", "drawer", "cabinet", "cupboard",
        "wardrobe", "closet", "door", "window", "dishwasher", "box", "jar", "bottle", "lid", "curtain",
        "curtains", "blinds",
    ]
)
#: Containers (place relation "in") when no world says otherwise.
CONTAINER_NOUNS: frozenset[str] = frozenset(
    [
        "sink", "fridge", "refrigerator", "freezer", "microwave", "oven", "drawer", "cabinet",
        "cupboard", "wardrobe", "closet", "bin", "trash", "garbage", "trashcan", "box", "basket", "bag",
        "bowl", "cup", "mug", "glass", "jar", "pot", "pan", "dishwasher", "kitchen", "bedroom",
        "bathroom", "room", "hallway", "garage", "office", "container", "tupperware", "bucket",
    ]
)
ROOM_NOUNS: frozenset[str] = frozenset(
    ["kitchen", "bedroom", "bathroom", "room", "hallway", "garage", "office", "garden", "hall", "lounge"]
)

#: Multi-word nouns whose last word alone is misleading, with the head they report.
COMPOUND_HEADS: dict[tuple[str, ...], str] = {
    ("living", "room"): "living room",
    ("dining", "room"): "dining room",
    ("tv", "remote"): "remote",
    ("trash", "can"): "trash can",
    ("garbage", "can"): "garbage can",
    ("rubbish", "bin"): "bin",
    ("waste", "basket"): "bin",
    ("fire", "exit"): "exit",
    ("smoke", "alarm"): "smoke alarm",
    ("smoke", "detector"): "smoke detector",
    ("fire", "alarm"): "fire alarm",
    ("cell", "phone"): "phone",
    ("mobile", "phone"): "phone",
    ("pill", "bottle"): "pill bottle",
    ("paper", "towel"): "paper towel",
    ("washing", "machine"): "washing machine",
    ("light", "switch"): "light switch",
}

#: Words that are partitive/measure words: in "a piece of cake" the head is "cake".
PARTITIVES: frozenset[str] = frozenset(
    [
        "piece", "pieces", "slice", "slices", "bit", "bits", "bunch", "lot", "lots", "couple", "pair",
        "packet", "pack", "carton", "cartons", "some", "rest", "kind", "type", "sort",
        "bag", "side", "edge",
    ]
)

#: Small fixes applied before anything else (common chat typos and shorthands).
SHORTHANDS: dict[str, str] = {
    "teh": "the", "hte": "the", "th": "the", "adn": "and", "nad": "and", "n": "and",
    "u": "you", "ur": "your", "pls": "please", "plz": "please", "thx": "thanks",
    "ty": "thanks", "tv's": "tv", "w/": "with", "abt": "about", "bc": "because",
    "tele": "tv", "telly": "tv", "fridge's": "fridge", "frig": "fridge",
    "lite": "light", "gimme": "give me", "lemme": "let me", "wanna": "want to",
    "gonna": "going to", "gotta": "have to", "tho": "though", "pl": "please",
    "2nd": "second", "1st": "first", "3rd": "third", "ok.": "ok",
}

#: Contractions expanded by the normaliser.
CONTRACTIONS: dict[str, str] = {
    "don't": "do not", "dont": "do not", "doesn't": "does not", "didn't": "did not",
    "won't": "will not", "wont": "will not", "can't": "can not", "cant": "can not",
    "cannot": "can not", "shouldn't": "should not", "isn't": "is not", "isnt": "is not",
    "aren't": "are not", "wasn't": "was not", "it's": "it is", "its": "its",
    "that's": "that is", "there's": "there is", "what's": "what is", "where's": "where is",
    "i'm": "i am", "im": "i am", "you're": "you are", "youre": "you are",
    "you've": "you have", "i've": "i have", "i'd": "i would", "you'd": "you would",
    "i'll": "i will", "you'll": "you will", "let's": "let us", "lets": "let us",
    "he's": "he is", "she's": "she is", "they're": "they are", "we're": "we are",
    "haven't": "have not", "hasn't": "has not", "couldn't": "could not",
    "wouldn't": "would not", "mustn't": "must not", "needn't": "need not",
}

#: Words a question or a wish begins with ("i want the cup" = bring me the cup).
WISH_PREFIXES: tuple[tuple[str, ...], ...] = tuple(
    tuple(p.split())
    for p in sorted(
        [
            "i want", "i need", "i would like", "i would love", "i wish for", "can i have",
            "could i have", "may i have", "can i get", "could i get", "may i get",
            "i could use", "i would appreciate", "how about", "i am looking for",
            # desire frames: wanting a thing is asking for it ("i'm in the mood for a soda")
            "i am in the mood for", "i am in need of", "i would like to have",
            "i would love to have", "i want to have", "i need to have", "i would like to get",
            "i feel like having", "i am craving", "i fancy", "i could go for", "i am after",
            "what about",
        ],
        key=lambda p: -len(p.split()),
    )
)
FIND_QUESTIONS: tuple[tuple[str, ...], ...] = tuple(
    tuple(p.split())
    for p in sorted(
        [
            "where is", "where are", "where did i put", "where did i leave",
            "do you see", "can you see", "have you seen", "is there", "are there",
            "where can i find", "show me", "show me where", "i can not find",
            "i lost", "i have lost", "help me find",
        ],
        key=lambda p: -len(p.split()),
    )
)

#: Conditions: state words → canonical state.
STATE_WORDS: dict[str, str] = {
    "open": "open", "opened": "open", "ajar": "open", "unlocked": "open",
    "closed": "closed", "shut": "closed", "locked": "closed",
    "on": "on", "running": "on", "switched on": "on", "turned on": "on",
    "off": "off", "switched off": "off", "turned off": "off",
    "visible": "visible", "there": "visible", "present": "visible", "here": "visible",
    "around": "visible", "available": "visible",
}
STATE_NEGATION: dict[str, str] = {"open": "closed", "closed": "open", "on": "off", "off": "on"}

#: Everything the typo corrector may correct *to* (nouns from the world are added later).
def _inflections(verb: str) -> set[str]:
    forms = {verb, verb + "s", verb + "es", verb + "ed", verb + "d", verb + "ing"}
    if verb.endswith("e"):
        forms |= {verb[:-1] + "ing", verb[:-1] + "ed"}
    if verb.endswith("y"):
        forms |= {verb[:-1] + "ies", verb[:-1] + "ied"}
    if len(verb) >= 3 and verb[-1] not in "aeiouwxy" and verb[-2] in "aeiou" and (
        verb[-3] not in "aeiou"
    ):
        forms |= {verb + verb[-1] + "ing", verb + verb[-1] + "ed"}
    return forms


def _base_forms() -> dict[str, str]:
    table: dict[str, str] = {}
    bases = set(VERBS) | {w for p in PHRASAL_VERBS for w in p[:1]}
    bases |= INFEASIBLE_VERBS | HARM_VERBS | DAMAGE_VERBS | FIRE_VERBS
    bases |= {"hide", "light", "block", "barricade", "obstruct", "mix", "spill", "splash"}
    bases |= {"water"}  # a locatum verb: "water the plant" is a pour (senses.locatum)
    for b in sorted(bases):
        for f in sorted(_inflections(b)):
            table.setdefault(f, b)
    for b in sorted(bases):
        table[b] = b
    for irregular, base in IRREGULAR.items():
        table[irregular] = base
    return table


#: Inflected verb form → base form (``brought`` → ``bring``, ``wiping`` → ``wipe``).
VERB_BASE: dict[str, str] = _base_forms()

FUNCTION_WORDS: frozenset[str] = frozenset(
    [
        "the", "a", "an", "and", "then", "after", "before", "that", "this", "it", "them", "is", "are",
        "be", "to", "of", "in", "on", "into", "onto", "from", "with", "for", "at", "by", "up", "down",
        "out", "off", "over", "under", "next", "near", "please", "if", "when", "unless", "you", "your",
        "my", "me", "i", "we", "us", "he", "she", "they", "his", "her", "their", "not", "do", "does",
        "no", "never", "all", "every", "each", "both", "some", "any", "there", "here", "where", "what",
        "which", "who", "how", "why", "was", "were", "will", "would", "can", "could", "should", "may",
        "might", "must", "have", "has", "had", "am", "been", "being", "first", "finally", "also",
        "again", "once", "as", "so", "but", "or", "nor", "yet", "just", "too", "very", "now", "away",
        "back", "around", "inside", "outside", "behind", "beside", "top", "front", "while", "until",
        "till", "than", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
        "its", "our", "yours", "let", "get", "got", "go", "see",
    ]
)
