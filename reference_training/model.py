"""The reference policy network (torch, imported lazily) and its supervised training loop.
"""

from __future__ import annotations

import math
import time
from typing import Any

import numpy as np

from reference_training.scenes import (
    ADIM,
    CHUNK,
    COLOUR_NAMES,
    IMG,
    MAX_LEN,
    SDIM,
    TYPES,
    VOCAB,
    WIPE_HELD_OUT,
)

# ---------------------------------------------------------------------------------------------
# Model

IMG_MEAN, IMG_STD = (0.5, 0.5, 0.5), (0.25, 0.25, 0.25)
STATE_SCALE = np.array([0.5, 0.5, 0.3, 1.0, 1.0], np.float32)
FUSIONS = ("early", "late", "xattn", "film")
ACT_RANGE = 4.0  # continuous channels: tanh * ACT_RANGE, in units of the card's std


def build_model(fusion: str) -> Any:
    """The policy. ``forward(image, tokens, state) -> (actions, confidence)`` in the card's
    normalised units: dx, dy, dz as ``tanh * ACT_RANGE``; the gripper is a classifier, output
    as ``2 * sigmoid(logit) - 1`` so that the card's mean 0.5 / std 0.5 turn it into
    P(closed). :meth:`heads` gives the raw outputs for training."""
    import torch
    from torch import nn

    if fusion not in FUSIONS:
        raise ValueError(f"unknown fusion {fusion!r}; choose from {', '.join(FUSIONS)}")
    xd, heads, grid = 64, 4, 12  # cross-attention width, heads, key/value grid (c2's map)

    class Policy(nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.fusion = fusion
            self.c1 = nn.Conv2d(3, 16, 5, 2, 2)
            self.c2 = nn.Conv2d(16, 32, 3, 2, 1)
            self.c3 = nn.Conv2d(32, 32, 3, 2, 1)
            self.img = nn.Linear(32 * 6 * 6, 128)
            self.emb = nn.Embedding(VOCAB, 32, padding_idx=0)
            nn.init.normal_(self.emb.weight, 0.0, 0.05)
            with torch.no_grad():
                self.emb.weight[0].zero_()
            self.txt = nn.Linear(32, 64)
            self.st = nn.Linear(SDIM, 64)
            self.register_buffer("sscale", torch.from_numpy(STATE_SCALE))
            out = CHUNK * ADIM
            width = 128 + 64
            if fusion == "film":
                self.film = nn.Linear(64, 2 * (32 + 32))
            if fusion == "xattn":
                # keys/values: the 12x12 cells of c2's feature map + a learned positional
                # embedding + fixed (x, y) coordinates; the query: the instruction + state
                # embedding, one per head. The values carry the coordinates, so a head that
                # attends to the named object's cells reads off where it is (a soft arg-max).
                lin = torch.linspace(-1, 1, grid)
                ys, xs = torch.meshgrid(lin, lin, indexing="ij")
                self.register_buffer("coords", torch.stack([xs, ys])[None])
                self.pos = nn.Parameter(torch.randn(1, 32, grid, grid) * 0.1)
                self.kv = nn.Conv2d(32 + 2, 2 * xd, 1)
                self.q = nn.Linear(64 + 64, xd)
                self.attn_out = nn.Linear(xd, xd)
                width += 64 + xd
            if fusion == "late":
                self.vis_head = nn.Sequential(nn.Linear(128 + 64, 256), nn.ReLU(), nn.Linear(256, out + 1))
                self.txt_head = nn.Sequential(nn.Linear(64, 128), nn.ReLU(), nn.Linear(128, out + 1))
            else:
                width += 64 if fusion == "early" else 0
                self.head = nn.Sequential(nn.Linear(width, 256), nn.ReLU(), nn.Linear(256, 256), nn.ReLU(),
                                          nn.Linear(256, out + 1))

        def attend(self, x2, t, s):
            b = x2.shape[0]
            cells = torch.cat([x2 + self.pos, self.coords.expand(b, -1, -1, -1)], 1)
            k, v = torch.split(self.kv(cells).flatten(2), [xd, xd], dim=1)  # (B, xd, N) each
            dh = xd // heads
            k = k.reshape(b, heads, dh, grid * grid)
            v = v.reshape(b, heads, dh, grid * grid)
            q = self.q(torch.cat([t, s], 1)).reshape(b, heads, 1, dh)
            w = torch.softmax(torch.matmul(q, k) * (1.0 / math.sqrt(dh)), dim=-1)  # (B, H, 1, N)
            o = torch.matmul(w, v.transpose(2, 3)).reshape(b, xd)
            return torch.relu(self.attn_out(o))

        def heads(self, image, tokens, state):
            mask = (tokens != 0).float().unsqueeze(-1)
            t = (self.emb(tokens) * mask).sum(1) / mask.sum(1).clamp(min=1.0)
            t = torch.relu(self.txt(t))
            s = torch.relu(self.st(state / self.sscale))
            x = torch.relu(self.c1(image))
            if self.fusion == "film":
                g = self.film(t)
                g2, b2, g3, b3 = torch.split(g, [32, 32, 32, 32], dim=1)
                x = torch.relu(self.c2(x) * (1 + g2[:, :, None, None]) + b2[:, :, None, None])
                x = torch.relu(self.c3(x) * (1 + g3[:, :, None, None]) + b3[:, :, None, None])
                x2 = None
            else:
                x2 = torch.relu(self.c2(x))
                x = torch.relu(self.c3(x2))
            v = torch.relu(self.img(x.flatten(1)))
            if self.fusion == "late":
                y = self.vis_head(torch.cat([v, s], 1)) + self.txt_head(t)
            elif self.fusion == "early":
                y = self.head(torch.cat([v, t, s], 1))
            elif self.fusion == "xattn":
                y = self.head(torch.cat([v, self.attend(x2, t, s), t, s], 1))
            else:
                y = self.head(torch.cat([v, s], 1))
            a = y[:, :-1].reshape(-1, CHUNK, ADIM)
            return torch.tanh(a[:, :, :3]) * ACT_RANGE, a[:, :, 3], y[:, -1]

        def forward(self, image, tokens, state):
            cont, grip, conf = self.heads(image, tokens, state)
            actions = torch.cat([cont, (2.0 * torch.sigmoid(grip) - 1.0).unsqueeze(-1)], 2)
            return actions, torch.sigmoid(conf)

    return Policy()


def to_input(images: Any) -> Any:
    """uint8 (N, H, W, 3) tensor -> the card's normalised float CHW."""
    import torch

    x = images.permute(0, 3, 1, 2).float() * (1.0 / 255.0)
    mean = torch.tensor(IMG_MEAN).view(1, 3, 1, 1)
    std = torch.tensor(IMG_STD).view(1, 3, 1, 1)
    return (x - mean) / std


def action_stats(data: dict[str, np.ndarray]) -> dict[str, list[float]]:
    acts = data["actions"].reshape(-1, ADIM)
    mean = acts.mean(0)
    std = np.maximum(acts.std(0), 1e-3)
    mean[3], std[3] = 0.5, 0.5  # the gripper: P(closed) = 0.5 + 0.5 * (2 sigmoid - 1)
    return {"mean": [float(v) for v in mean], "std": [float(v) for v in std]}


def _word_ids(words: list[str]) -> set[int]:
    from inference.contract import HashTokenizer

    tok = HashTokenizer(VOCAB, MAX_LEN)
    return {int(i) for w in words for i in tok.encode(w.replace("_", " ")) if i}


def protected_words() -> np.ndarray:
    """Token ids word noise never touches: the colours and object types (what a pick needs)."""
    return np.array(sorted(_word_ids(COLOUR_NAMES + list(TYPES))), np.int64)


def word_noise_pool() -> np.ndarray:
    """Token ids a noised instruction may draw from: the whole vocabulary except padding, the
    held-out wipe surfaces' words (noise never shows them in a wipe context) and the protected
    colour/type words."""
    banned = _word_ids(WIPE_HELD_OUT) | set(protected_words().tolist())
    return np.array([i for i in range(1, VOCAB) if i not in banned], np.int64)


def train(fusion: str, data: dict[str, np.ndarray], *, epochs: int, seed: int, norm: dict[str, list[float]],
          model: Any = None, lr: float = 2e-3, grip_weight: float = 1.0, tag: str = "",
          word_noise: float = 0.0) -> tuple[Any, dict]:
    """Train (or, given ``model``, fine-tune) on ``data``: smooth-L1 on the normalised dx, dy, dz,
    BCE on the gripper logit, BCE on the confidence (1 on real frames, 0 on noise frames).

    ``word_noise``: every word but the colours and object types is dropped with this probability,
    or as often swapped for a random token, in every task's samples: the policy must not hang on a
    surface's name it has not seen in that task (a wipe of the never-wiped nightstand hovered at
    the pick's grasp height without it), and, the noise being the same in every task, an unknown
    word says nothing about the task (noise on place/wipe samples only made the unknown verbs of
    pick paraphrases read as a wipe: 2 % paraphrase pick success)."""
    import torch
    from torch.nn import functional as nnf

    torch.manual_seed(seed)
    rng = np.random.default_rng(seed)
    mean, std = np.asarray(norm["mean"], np.float32), np.asarray(norm["std"], np.float32)
    if model is None:
        model = build_model(fusion)
    model.train()
    opt = torch.optim.AdamW(model.parameters(), lr=lr, weight_decay=1e-4)
    n, bs = len(data["actions"]), 256
    steps = epochs * math.ceil(n / bs)
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=lr, total_steps=steps)
    x_img = torch.from_numpy(data["images"])
    x_tok = torch.from_numpy(data["tokens"])
    x_st = torch.from_numpy(data["state"])
    acts = torch.from_numpy(data["actions"])
    y_cont = (acts[:, :, :3] - torch.from_numpy(mean[:3])) / torch.from_numpy(std[:3])
    y_grip = (acts[:, :, 3] > 0.5).float()
    s_noise = torch.tensor([0.004, 0.004, 0.004, 0.0, 0.0])
    keep = torch.from_numpy(protected_words())
    pool = torch.from_numpy(word_noise_pool())
    gen = torch.Generator().manual_seed(seed)
    t0 = time.perf_counter()
    losses, grip_losses = [], []
    for ep in range(epochs):
        perm = torch.from_numpy(rng.permutation(n))
        tot = tot_g = 0.0
        for i in range(0, n, bs):
            idx = perm[i : i + bs]
            img = to_input(x_img[idx])
            st = x_st[idx] + torch.randn(len(idx), SDIM) * s_noise
            tok = x_tok[idx]
            if word_noise > 0:
                u = torch.rand(tok.shape, generator=gen)
                hit = (tok != 0) & ~torch.isin(tok, keep)
                swap = pool[torch.randint(len(pool), tok.shape, generator=gen)]
                tok = torch.where(hit & (u < word_noise), torch.zeros_like(tok),
                                  torch.where(hit & (u < 2 * word_noise), swap, tok))
            cont, grip, conf = model.heads(img, tok, st)
            lx = nnf.smooth_l1_loss(cont, y_cont[idx], beta=0.1)
            lg = nnf.binary_cross_entropy_with_logits(grip, y_grip[idx])
            q = max(1, len(idx) // 4)  # corrupted frames -> low confidence
            noise = torch.rand(q, 3, IMG, IMG) * 4.0 - 2.0
            _, _, conf_bad = model.heads(noise, tok[:q], st[:q])
            lc = (nnf.binary_cross_entropy_with_logits(conf, torch.ones_like(conf))
                  + nnf.binary_cross_entropy_with_logits(conf_bad, torch.zeros_like(conf_bad)))
            opt.zero_grad()
            (lx + grip_weight * lg + 0.1 * lc).backward()
            opt.step()
            sched.step()
            tot += float(lx.detach()) * len(idx)
            tot_g += float(lg.detach()) * len(idx)
        losses.append(round(tot / n, 5))
        grip_losses.append(round(tot_g / n, 5))
        print(f"  [{fusion}{tag}] epoch {ep + 1}/{epochs} xyz loss {losses[-1]:.4f} "
              f"gripper bce {grip_losses[-1]:.4f}", flush=True)
    model.eval()
    return model, {"loss": losses, "grip_bce": grip_losses, "train_s": round(time.perf_counter() - t0, 1),
                   "samples": n, "params": sum(p.numel() for p in model.parameters())}
