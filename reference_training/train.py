"""Train, export and evaluate the reference VLA policy: pick, place, wipe (CPU, ~24 min; not a test).

    .venv/bin/python tools/train_reference_policy.py                # early, late, xattn; ship the best
    .venv/bin/python tools/train_reference_policy.py --fusions early --episodes 400 --place-episodes 300 \
        --epochs 10 --dagger-rounds 1 --dagger-episodes 150 --eval-episodes 20 \
        --out /tmp/trp --work /tmp/trp_work                            # a quick try (~2.5 min)

One multi-task policy: **pick** (the target is the object), **place** (the robot holds an
object; the target is the free slot on/in a fixture that the leaf's detection reports,
``world.slot_on``) and **wipe** (a surface with dirt spots, ``executive.sim.dirt``; the target is
the dirt's centre the detection reports, which spots are left only the camera shows; the expert
heads for the soft-nearest spot in contact, 1 cm above the top). The task is told apart by the
instruction's verb, the holding bit and what the camera sees. Held-out sets: colour/type pairs
(pick, place), surfaces never wiped (wipe). Word noise (``--word-noise``) drops or swaps every
word but the colours and types.

1. **Demonstrations** from a scripted expert in the simulated world: a random surface, a target
   object of random colour and type plus 0-3 distractors at random spots on it, the base within
   arm's range, the arm at home or at a random offset, an instruction from a template naming
   colour + type ("pick up the red cup"); place scenes (:func:`make_place_scene`): the robot
   holding an object of random colour/type near a surface or an open container (sink, bin) with
   0-3 other objects on/in it, the goal its first free slot, the instruction "put the red cup on
   the kitchen table" / "... in the sink" (and two more templates); the place expert moves over
   the slot, descends to ``RELEASE`` above it, opens and backs off upwards. The policy sees what
   the VLA leaf gives it (``behaviours.vla``): the 96x96 top-down gripper camera (resized to
   48x48 by the card), the instruction tokens (hash-bow-v1) and proprioception (believed target
   minus end effector, gripper closed, holding). The believed target is perturbed by a
   per-episode bias (perception error, ``--belief-noise``) so the last centimetres must come
   from the image. Labels: the expert's next 8 actions (dx, dy, dz, gripper). A pick demo ends
   when the object is held, so pick states never have holding = 1; place states always do until
   the release.
2. **Policy** (torch==2.13.0): a small CNN, an embedding bag over the instruction ids, and a fusion
   of ``early`` (concatenation), ``late`` (per-modality heads summed), ``xattn`` (cross-attention:
   the instruction + state embedding queries the CNN's feature-map cells) or ``film`` (the
   instruction modulates the CNN's channels) into an action-chunk head + a confidence head
   (trained to say low on corrupted camera frames). dx, dy, dz are regressed (smooth L1); the
   gripper is a classifier (BCE on a logit), exported as ``2 sigmoid - 1`` so the card's
   mean 0.5 / std 0.5 give P(closed) and closes are sharp.
3. **DAgger** (``--dagger-rounds``): the policy is rolled out closed loop as the leaf runs it
   (``inline``: a new chunk every 4 steps, each action through the safety chain) on fresh
   training scenes; every visited state is labelled with the expert's chunk from that state
   (rolled forward with the expert on a copy of the world); the data are aggregated and the
   policy fine-tuned on all of it. Pick, place and wipe scenes (``--dagger-place-frac``,
   ``--dagger-wipe-frac``), plus ``--dagger-async-episodes`` real-time-style pick rollouts
   (:func:`rollout_async`: frames lag the forecast state, as in the leaf's async mode).
4. **Export** ONNX (opset 17, legacy exporter) + card (``inference.card`` format) + dynamic INT8
   variant + a PyTorch twin ``model.pt2`` (``torch.export``; card variant ``torch``), checked
   against the ONNX model.
5. **Evaluate** closed loop through the real ``VLAPolicy`` leaf, safety gate and ONNX Runtime
   on seen colour/type combinations, held-out combinations and paraphrased instructions, with
   the scripted expert on the same scenes as the ceiling, for pick and for place (the leaf with
   ``task="place"``); INT8 vs FP32 success and latency.
   Writes ``REPORT.md`` + ``report.json`` beside the model.

Seeded: the same arguments give the same data, weights and figures.
"""

from __future__ import annotations

import argparse
import json
import shutil
import time
from pathlib import Path
from typing import Any

import numpy as np

from inference.encoding import TASKS
from inference.reference import REFERENCE_DIR
from reference_training import scenes
from reference_training.dataset import dataset
from reference_training.evaluate import (
    ExpertEngine,
    evaluate_async,
    evaluate_tasks,
    fit_fusion,
    latency,
    score,
)
from reference_training.export import export, ship, twin_diff
from reference_training.model import FUSIONS, action_stats
from reference_training.report import report_md


def main(argv: list[str] | None = None) -> int:
    pre = argparse.ArgumentParser(add_help=False)
    pre.add_argument("--world", choices=("kinematic", "mujoco"), default="kinematic")
    world = pre.parse_known_args(argv)[0].world
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--world", choices=("kinematic", "mujoco"), default="kinematic",
                    help="where the data come from: the kinematic world (default: today's shipped "
                         "model) or the MuJoCo world's rendered frames (pick; its own defaults and "
                         "card: reference_training/train_mujoco.py)")
    ap.add_argument("--fusions", default="early,late,xattn", help=f"comma list of {', '.join(FUSIONS)}")
    ap.add_argument("--episodes", type=int, default=800, help="pick demonstration episodes")
    ap.add_argument("--place-episodes", type=int, default=600, help="place demonstration episodes")
    ap.add_argument("--wipe-episodes", type=int, default=500, help="wipe demonstration episodes")
    ap.add_argument("--epochs", type=int, default=15)
    ap.add_argument("--lr", type=float, default=2e-3)
    ap.add_argument("--grip-weight", type=float, default=1.0, help="weight of the gripper BCE")
    ap.add_argument("--dagger-rounds", type=int, default=3)
    ap.add_argument("--dagger-episodes", type=int, default=400, help="policy rollouts per DAgger round")
    ap.add_argument("--dagger-place-frac", type=float, default=0.25,
                    help="share of place scenes among the DAgger rollouts")
    ap.add_argument("--dagger-wipe-frac", type=float, default=0.4,
                    help="share of wipe scenes among the DAgger rollouts")
    ap.add_argument("--dagger-async-episodes", type=int, default=150,
                    help="real-time-style pick rollouts per DAgger round (frames lag the forecast state)")
    ap.add_argument("--dagger-leaf-frac", type=float, default=0.0,
                    help="--world mujoco: share of each DAgger round run through the real VLA leaf "
                         "from the folded arm (evaluation-like scenes, every observation labelled)")
    ap.add_argument("--dagger-epochs", type=int, default=4, help="fine-tuning epochs per DAgger round")
    ap.add_argument("--dagger-lr", type=float, default=1e-3)
    ap.add_argument("--eval-episodes", type=int, default=50)
    ap.add_argument("--belief-noise", type=float, default=0.01)
    ap.add_argument("--word-noise", type=float, default=0.15,
                    help="P(drop a word) = P(swap it for a random token); colours and types are kept")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--out", type=Path, default=scenes.OUT)
    ap.add_argument("--work", type=Path, default=REFERENCE_DIR.parents[2] / "logs/train_reference")
    if world == "mujoco":
        from reference_training.train_mujoco import MUJOCO_DEFAULTS

        ap.set_defaults(**MUJOCO_DEFAULTS)
    args = ap.parse_args(argv)
    if args.world == "mujoco":
        from reference_training.train_mujoco import main_mujoco

        return main_mujoco(args)
    fusions = [f.strip() for f in args.fusions.split(",") if f.strip()]
    for f in fusions:
        if f not in FUSIONS:
            ap.error(f"unknown fusion {f!r}; choose from {', '.join(FUSIONS)}")

    import torch

    from inference.card import load_engine

    torch.set_num_threads(args.threads)
    t_start = time.perf_counter()
    cache = args.work / (f"data_e{args.episodes}_p{args.place_episodes}_w{args.wipe_episodes}_s{args.seed}"
                         f"_n{args.belief_noise}.npz")
    if cache.exists():
        with np.load(cache) as z:
            demos = {k: z[k] for k in z.files}
    else:
        demos = dataset(args.episodes, args.seed, args.belief_noise, args.place_episodes, args.wipe_episodes)
        cache.parent.mkdir(parents=True, exist_ok=True)
        np.savez_compressed(cache, **demos)
    norm = action_stats(demos)
    results: dict[str, Any] = {}
    expert_ev = None
    for fusion in fusions:
        print(f"training {fusion}", flush=True)
        model, info = fit_fusion(fusion, demos, norm, args)
        d = args.work / fusion
        if d.exists():
            shutil.rmtree(d)
        export(model, fusion, norm, d, args.seed, {}, args.belief_noise)
        fp32 = load_engine(d / "model.onnx", "onnxruntime", intra_op_threads=1)
        if expert_ev is None:
            expert_ev = evaluate_tasks(ExpertEngine(fp32.card), args.eval_episodes, args.seed + 1000)
        t1 = time.perf_counter()
        ev = evaluate_tasks(fp32, args.eval_episodes, args.seed + 1000)
        ev_async = evaluate_async(fp32, args.eval_episodes, args.seed + 2000)
        results[fusion] = {"train": info, "eval_fp32": ev, "eval_async": ev_async,
                           "eval_s": round(time.perf_counter() - t1, 1),
                           "latency_fp32": latency(fp32),
                           "size_kb": round((d / "model.onnx").stat().st_size / 1024, 1)}
        print(json.dumps({fusion: {t: {k: {"success": v["success"], "failures": v["failures"]}
                                       for k, v in e.items()} for t, e in ev.items()}}), flush=True)
    best = max(results, key=lambda f: score(results[f]["eval_fp32"], results[f]["eval_async"]))
    d = args.work / best
    int8 = load_engine(d / "model.onnx", "onnxruntime", variant="int8", intra_op_threads=1)
    b = results[best]
    b["eval_int8"] = evaluate_tasks(int8, args.eval_episodes, args.seed + 1000)
    b["latency_int8"] = latency(int8)
    b["size_int8_kb"] = round((d / "model.int8.onnx").stat().st_size / 1024, 1)
    b["size_pt2_kb"] = round((d / "model.pt2").stat().st_size / 1024, 1)
    b["twin"] = twin_diff(d)
    twin_eng = load_engine(d / "model.pt2", "torch", card=d / "model.card.yaml")
    b["latency_torch"] = latency(twin_eng)
    print(json.dumps({"twin": b["twin"]}), flush=True)
    ev = b["eval_fp32"]
    metrics = {f"{t}_success_{k}": v["success"] for t, e in ev.items() for k, v in e.items()}
    metrics.update({f"{t}_int8_success_{k}": v["success"] for t, e in b["eval_int8"].items()
                    for k, v in e.items()})
    # copy the chosen model into the shipped folder with its metrics in the card
    ship(d, args.out, metrics)
    report = {"chosen": best, "seed": args.seed, "episodes": args.episodes,
              "place_episodes": args.place_episodes, "dagger_place_frac": round(args.dagger_place_frac, 3),
              "wipe_episodes": args.wipe_episodes, "dagger_wipe_frac": round(args.dagger_wipe_frac, 3),
              "epochs": args.epochs, "tasks": list(TASKS),
              "dagger_rounds": args.dagger_rounds, "dagger_episodes": args.dagger_episodes,
              "dagger_epochs": args.dagger_epochs, "grip_weight": args.grip_weight, "threads": args.threads,
              "word_noise": args.word_noise, "dagger_async_episodes": args.dagger_async_episodes,
              "belief_noise_train_m": args.belief_noise, "eval_episodes_per_set": args.eval_episodes,
              "demo_samples": len(demos["actions"]), "demo_place_samples": int((demos["task"] == 1).sum()),
              "held_out_pairs": [list(p) for p in scenes.UNSEEN],
              "paraphrase_templates": scenes.PARAPHRASES, "train_templates": scenes.TRAIN_TEMPLATES,
              "place_train_templates": scenes.PLACE_TEMPLATES,
              "place_paraphrase_templates": scenes.PLACE_PARAPHRASES,
              "place_fixtures": scenes.PLACE_FIXTURES, "place_release_m": scenes.RELEASE,
              "demo_wipe_samples": int((demos["task"] == 2).sum()),
              "wipe_surfaces": scenes.WIPE_SURFACES, "wipe_held_out_surfaces": scenes.WIPE_HELD_OUT,
              "wipe_train_templates": scenes.WIPE_TEMPLATES,
              "wipe_paraphrase_templates": scenes.WIPE_PARAPHRASES,
              "expert_eval": expert_ev, "total_s": round(time.perf_counter() - t_start, 1),
              "fusions": results, "torch": torch.__version__}
    (args.out / "report.json").write_text(json.dumps(report, indent=2) + "\n")
    (args.out / "REPORT.md").write_text(report_md(report))
    print(f"shipped {best} -> {args.out} ({report['total_s'] / 60:.1f} min in all)", flush=True)
    return 0
