"""``tools/train_reference_policy.py --world mujoco``: the reference VLA trained on MuJoCo frames.

Pick and place (``--place-episodes 0``: pick only, as the first card): expert demonstrations on
:mod:`reference_training.mujoco_pick` and :mod:`reference_training.mujoco_place` scenes, one
multi-task model by behaviour cloning, DAgger rounds (the policy drives the physics arm on a mix
of pick and place scenes, the stateless experts label every state), export with the same engine
contract as the kinematic reference (its card is ``inference/models/reference_mujoco/model.card.yaml``,
beside the kinematic one, which this path never writes), then closed-loop evaluation per task
through the real VLA leaf on the MuJoCo backend with the scripted expert on the same scenes as
the ceiling. Sized for one CPU core (~20 min of CPU with the defaults, 6 of them rendering the
demonstrations, cached in ``--work``; longer on a shared core). Seeded: the same arguments give
the same data, weights and figures."""

from __future__ import annotations

import argparse
import json
import shutil
import time
from typing import Any

import numpy as np

from inference.reference import REFERENCE_DIR, REFERENCE_MUJOCO_DIR
from reference_training import mujoco_pick as mp
from reference_training import mujoco_place as mpl
from reference_training.dataset import concat
from reference_training.export import ship

#: The training tool's defaults under ``--world mujoco`` (any flag given still wins).
MUJOCO_DEFAULTS: dict[str, Any] = {
    "fusions": "xattn", "episodes": 250, "place_episodes": 150, "epochs": 30, "dagger_rounds": 6,
    "dagger_episodes": 140, "dagger_place_frac": 0.35, "dagger_leaf_frac": 0.75, "dagger_epochs": 4,
    "eval_episodes": 20,
    "threads": 1, "out": REFERENCE_MUJOCO_DIR,
    "work": REFERENCE_DIR.parents[2] / "logs/train_reference_mujoco",
}
CARD_NAME, CARD_VERSION = "reference-vla-mujoco", "1.0.0"


def _card_kw(fusion: str, belief_noise: float, tasks: tuple[str, ...] = ("pick",)) -> dict[str, str]:
    from inference.encoding import STATE_NAMES
    from reference_training.scenes import IMG

    return {
        "name": CARD_NAME, "version": CARD_VERSION,
        "training_data": f"scripted-expert {' + '.join(tasks)} demonstrations + DAgger "
                         "(expert-labelled policy rollouts) in the MuJoCo household "
                         "(tools/train_reference_policy.py --world mujoco)",
        "notes": f"fusion={fusion}; world: mujoco; camera: the MuJoCo wrist camera rendered "
                 f"(EGL, 96x96, no shadows) resized to {IMG}x{IMG}; state: {', '.join(STATE_NAMES)} "
                 f"(believed target - ee, m; the target is the detected object's centre); training "
                 f"belief noise {belief_noise} m; gripper output = P(closed) (a classifier); task: "
                 + (f"pick only (grasp point {mp.TOL_XY} m / {mp.TOL_Z} m tolerance; held = both "
                    f"fingers in contact)" if tasks == ("pick",) else
                    f"{' + '.join(tasks)} (pick: grasp point {mp.TOL_XY} m / {mp.TOL_Z} m tolerance, "
                    f"held = both fingers in contact; place, holding = 1: on a surface's free spot, "
                    f"released {mpl.GAP} m over it)"),
    }


def main_mujoco(args: argparse.Namespace) -> int:
    import torch

    from inference.backends.torch_backend import TorchEngine
    from inference.card import load_engine
    from reference_training.evaluate import latency
    from reference_training.export import export, make_card
    from reference_training.model import action_stats, train

    torch.set_num_threads(args.threads)
    fusions = [f.strip() for f in args.fusions.split(",") if f.strip()]
    t_start = time.perf_counter()
    tasks = ("pick", "place") if args.place_episodes > 0 else ("pick",)
    parts, tallies = [], {}
    for task, n_demo, seed in (("pick", args.episodes, args.seed),
                               ("place", args.place_episodes, args.seed + 17)):
        if task not in tasks:
            continue
        part, tallies[task] = _demos(args, task, n_demo, seed)
        parts.append(part)
    demos = parts[0] if len(parts) == 1 else concat(*parts)
    tally = tallies["pick"]
    data_s = round(time.perf_counter() - t_start, 1)
    for task, tl in tallies.items():
        print(f"{task} demos: {tl[0]}/{tl[1]} expert successes, {tl[2]} samples", flush=True)
    print(f"demos ready ({data_s} s)", flush=True)
    norm = action_stats(demos)
    results: dict[str, Any] = {}
    expert_ev = None
    for fusion in fusions:
        t0 = time.perf_counter()
        print(f"training {fusion}", flush=True)
        model, st = train(fusion, demos, epochs=args.epochs, seed=args.seed, norm=norm, lr=args.lr,
                          grip_weight=args.grip_weight, word_noise=args.word_noise)
        info: dict[str, Any] = {"bc": st, "dagger": []}
        data = demos
        kw = _card_kw(fusion, args.belief_noise, tasks)
        card = make_card(fusion, norm, args.seed, {}, args.belief_noise, {}, **kw)
        for r in range(args.dagger_rounds):
            t1 = time.perf_counter()
            eng = TorchEngine(card, model, name=f"{fusion}-mujoco-dagger{r}")
            frac = args.dagger_place_frac if "place" in tasks else 0.0
            n_leaf = round(args.dagger_episodes * args.dagger_leaf_frac)
            new, tls = mp.dagger_data(eng, args.dagger_episodes - n_leaf, args.seed + 5003 * (r + 1),
                                      args.belief_noise, frac)
            if n_leaf:  # the rest through the real leaf from the folded arm, as evaluation runs it
                new_l, tls_l = mp.leaf_dagger_data(eng, n_leaf, args.seed + 7001 * (r + 1), frac)
                new = concat(new, new_l)
                tls = {t: [a + b for a, b in zip(tls.get(t, [0, 0, 0]), tls_l.get(t, [0, 0, 0]))]
                       for t in sorted({*tls, *tls_l})}
            data = concat(data, new)
            rates = {t: round(v[0] / max(v[1], 1), 3) for t, v in tls.items()}
            rate = round(sum(v[0] for v in tls.values()) / max(sum(v[1] for v in tls.values()), 1), 3)
            print(f"  [{fusion}] DAgger round {r + 1}: policy success on {args.dagger_episodes} training "
                  f"scenes {rates}; +{len(new['actions'])} labelled states -> {len(data['actions'])}",
                  flush=True)
            collect_s = round(time.perf_counter() - t1, 1)
            model, st = train(fusion, data, epochs=args.dagger_epochs, seed=args.seed + r + 1, norm=norm,
                              model=model, lr=args.dagger_lr, grip_weight=args.grip_weight,
                              tag=f" dagger {r + 1}", word_noise=args.word_noise)
            info["dagger"].append({"round": r + 1, "episodes": args.dagger_episodes, "policy_success": rate,
                                   "policy_success_by_task": rates,
                                   "new_samples": len(new["actions"]), "samples": len(data["actions"]),
                                   "collect_s": collect_s, **st})
        last = info["dagger"][-1] if info["dagger"] else st
        info.update(params=st["params"], loss=last["loss"], grip_bce=last["grip_bce"],
                    train_s=round(time.perf_counter() - t0, 1), samples=len(data["actions"]))
        d = args.work / fusion
        if d.exists():
            shutil.rmtree(d)
        export(model, fusion, norm, d, args.seed, {}, args.belief_noise, **kw)
        fp32 = load_engine(d / "model.onnx", "onnxruntime", intra_op_threads=1)
        if expert_ev is None:
            expert_ev = {t: mp.evaluate(mp.ExpertEngine(fp32.card), args.eval_episodes, args.seed + 1000,
                                        task=t) for t in tasks}
            print(json.dumps({"scripted_expert": {t: {k: v["success"] for k, v in e.items()}
                                                  for t, e in expert_ev.items()}}), flush=True)
        t1 = time.perf_counter()
        ev = {t: mp.evaluate(fp32, args.eval_episodes, args.seed + 1000, task=t) for t in tasks}
        results[fusion] = {"train": info, "eval_fp32": ev, "eval_s": round(time.perf_counter() - t1, 1),
                           "latency_fp32": latency(fp32),
                           "size_kb": round((d / "model.onnx").stat().st_size / 1024, 1)}
        print(json.dumps({fusion: {t: {k: {"success": v["success"], "failures": v["failures"]}
                                       for k, v in e.items()} for t, e in ev.items()}}), flush=True)
    best = max(results, key=lambda f: (sum(v["success"] for e in results[f]["eval_fp32"].values()
                                           for v in e.values()),
                                       results[f]["eval_fp32"]["pick"]["seen"]["success"]))
    d = args.work / best
    metrics = {f"{t}_success_{k}": v["success"] for t, e in results[best]["eval_fp32"].items()
               for k, v in e.items()}
    # copy the chosen model into the shipped folder with its metrics in the card
    ship(d, args.out, metrics)
    report = {"world": "mujoco", "chosen": best, "seed": args.seed, "tasks": list(tasks),
              "episodes": args.episodes, "place_episodes": args.place_episodes,
              "demo_tally": tallies, "dagger_place_frac": args.dagger_place_frac,
              "dagger_leaf_frac": args.dagger_leaf_frac,
              "place_surfaces": mpl.SURFACES, "place_templates": mpl.TEMPLATES,
              "place_paraphrase_templates": mpl.PARAPHRASES,
              "demo_expert_successes": tally[0], "demo_samples": tally[2], "epochs": args.epochs,
              "dagger_rounds": args.dagger_rounds, "dagger_episodes": args.dagger_episodes,
              "dagger_epochs": args.dagger_epochs, "threads": args.threads, "word_noise": args.word_noise,
              "belief_noise_train_m": args.belief_noise, "eval_episodes_per_set": args.eval_episodes,
              "colours": mp.COLOURS, "types": mp.TYPES, "surfaces": mp.SURFACES,
              "held_out_pairs": [list(p) for p in mp.UNSEEN], "train_templates": mp.TRAIN_TEMPLATES,
              "paraphrase_templates": mp.PARAPHRASES, "expert_eval": expert_ev, "data_s": data_s,
              "total_s": round(time.perf_counter() - t_start, 1), "fusions": results,
              "torch": torch.__version__, "mujoco": _mujoco_version()}
    (args.out / "report.json").write_text(json.dumps(report, indent=2) + "\n")
    (args.out / "REPORT.md").write_text(report_md(report))
    print(f"shipped {best} -> {args.out} ({report['total_s'] / 60:.1f} min in all)", flush=True)
    return 0


def _demos(args: argparse.Namespace, task: str, n: int, seed: int) -> tuple[dict[str, np.ndarray], list[int]]:
    """``n`` expert demonstrations of ``task``, rendered once per demo arguments (cached in
    ``--work``: a rerun with other training flags reads them back)."""
    cache = args.work / f"mujoco_{task}_e{n}_s{seed}_n{args.belief_noise}.npz"
    if cache.exists():
        with np.load(cache) as z:
            demos = {k: z[k] for k in z.files}
        return demos, [int(v) for v in json.loads(cache.with_suffix(".json").read_text())]
    demos, tally = mp.dataset(n, seed, args.belief_noise, task)
    cache.parent.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(cache, **demos)
    cache.with_suffix(".json").write_text(json.dumps(tally))
    return demos, tally


def _mujoco_version() -> str:
    import mujoco

    return str(mujoco.__version__)


def _pct(v: float) -> str:
    return f"{round(100 * v)}%"


def _fails(ev: dict[str, Any]) -> str:
    parts = [f"{k}: " + ", ".join(f"{n}x {r}" for r, n in sorted(v["failures"].items()))
             for k, v in ev.items() if v["failures"]]
    return "; ".join(parts) or "none"


def report_md(r: dict[str, Any]) -> str:
    """``REPORT.md`` of the MuJoCo card: what was trained, the closed-loop tables per task, the caveats."""
    n = r["eval_episodes_per_set"]
    tasks = r.get("tasks", ["pick"])
    tl = r.get("demo_tally", {"pick": [r["demo_expert_successes"], r["episodes"], r["demo_samples"]]})
    demos = "; ".join(f"{v[1]} {t} demo episodes, {v[0]} expert successes = {v[2]} samples"
                      for t, v in tl.items())
    lines = [
        "# Reference VLA policy on MuJoCo frames: training report",
        "",
        f"Generated by `tools/train_reference_policy.py --world mujoco` (seed {r['seed']}; {demos}; "
        f"{r['epochs']} epochs of behaviour cloning, then {r['dagger_rounds']} DAgger round(s) of "
        f"{r['dagger_episodes']} policy rollouts"
        + (f" ({round(100 * r['dagger_place_frac'])} % of them place)" if "place" in tasks else "")
        + (f", {round(100 * r['dagger_leaf_frac'])} % of them through the real VLA leaf from the folded "
           "arm (every observation it sent labelled by the expert)" if r.get("dagger_leaf_frac") else "")
        + f" + {r['dagger_epochs']} fine-tuning epochs each; torch {r['torch']} CPU, {r['threads']} "
        f"thread(s); MuJoCo {r['mujoco']}; {r['total_s'] / 60:.1f} min in all, "
        + (f"{r['data_s'] / 60:.1f} of them rendering the demonstrations)." if r["data_s"] >= 5 else
           "the demonstrations read from the cache an earlier run with the same demo arguments "
           "rendered)."),
        "",
        f"Shipped: **{r['chosen']}** fusion (`model.onnx`; INT8 `model.int8.onnx` and PyTorch twin "
        "`model.pt2` exported as for the kinematic card, not evaluated here). Same engine contract "
        "as `inference/models/reference/` (wrist image 48x48, hash-bow-v1 instruction tokens, state "
        "= believed target - ee, gripper closed, holding; 8x4 action chunks); tasks: **"
        + " + ".join(tasks) + "** (one model; holding = 1 is a place).",
        "",
        "Scenes (`reference_training/mujoco_pick.py`, `mujoco_place.py`): the household scene with "
        f"its objects replaced by a target of a random colour ({', '.join(r['colours'])}) and type "
        f"({', '.join(r['types'])}) plus 0-3 distractors on a random surface "
        f"({', '.join(r['surfaces'])}), compiled with MjSpec; the frames are the MuJoCo wrist "
        "camera (EGL on Mesa, 96x96, shadowsize 0). Pick: the expert is stateless in end-effector "
        "space (over the grasp point of the physics pick primitive, down, close); grasps hold by "
        "finger contact and friction (no weld)."
        + (" Place: the object is in the closed jaws (put between the open fingers with gravity "
           "off, the fingers closed on it, gravity back: held by contact), the goal is the free "
           "spot the leaf's detection of the surface reports (nearest the robot, clear of the 0-3 "
           "others there); the expert goes over the release point (the goal raised by the held "
           "type's grasp height + 2 cm), down, opens; success = released and resting on that "
           "surface (the robot's belief, updated on its own release)." if "place" in tasks else "")
        + " Training starts the arm near where the leaf's ready phase leaves it, at a random "
        "offset, or folded with the leaf's ready phase run on it; DAgger labels every state the "
        "policy visits. The believed target carries a per-episode bias "
        f"N(0, {r['belief_noise_train_m']} m) in x, y. Held-out pairs (both tasks): "
        + ", ".join(f"{c} {t}" for c, t in r["held_out_pairs"]) + ".",
        "",
        f"Closed-loop success of the `VLAPolicy` leaf on the MuJoCo backend ({n} seeded episodes per "
        "set; detect (pick: segmentation render; place: the surface's free spot) -> reach-in -> "
        "ready -> policy; safety gate and chain in the loop; ONNX Runtime CPU; lockstep, inline "
        "runner; the arm folded at home and the target 0.45-0.9 rad off the base's heading at the "
        "start). *seen* = colour/type pairs used in training; *held-out* = pairs never shown; "
        "*paraphrase* = instruction templates never shown. The *scripted expert* row runs the "
        "expert's chunk through the same leaf on the same scenes: the ceiling.",
        "",
    ]
    for task in tasks:
        lines += [f"**{task}**", "",
                  "| policy | seen | held-out | paraphrase | failures | p50 / p95 latency (ms) | params | "
                  "final xyz loss | gripper BCE | train s |",
                  "|---|---|---|---|---|---|---|---|---|---|"]
        for f, res in r["fusions"].items():
            ev, tr, lat = _task_ev(res["eval_fp32"], task), res["train"], res["latency_fp32"]
            lines.append(f"| {f} | {_pct(ev['seen']['success'])} | {_pct(ev['held_out']['success'])} | "
                         f"{_pct(ev['paraphrase']['success'])} | {_fails(ev)} | {lat['p50_ms']} / "
                         f"{lat['p95_ms']} | {tr['params']} | {tr['loss'][-1]} | {tr['grip_bce'][-1]} | "
                         f"{tr['train_s']} |")
        ex = _task_ev(r["expert_eval"], task)
        lines.append(f"| scripted expert | {_pct(ex['seen']['success'])} | "
                     f"{_pct(ex['held_out']['success'])} | {_pct(ex['paraphrase']['success'])} | "
                     f"{_fails(ex)} | - | - | - | - | - |")
        sets = ("seen", "held_out", "paraphrase")
        times = "; ".join(f"{f} " + "/".join(str(_task_ev(res["eval_fp32"], task)[k]["mean_time_s"])
                                             for k in sets)
                          for f, res in r["fusions"].items())
        lines += ["", f"Mean completion time of the {task} successes (s; seen / held-out / paraphrase): "
                  f"{times}.", ""]
    rounds = " | ".join(f"round {k + 1}" for k in range(r["dagger_rounds"]))
    lines += ["DAgger (policy success on fresh training scenes before each round"
              + (", pick / place" if "place" in tasks else "") + "; labelled states added):", "",
              f"| policy | {rounds} | samples in all |",
              "|---|" + "---|" * r["dagger_rounds"] + "---|"]
    for f, res in r["fusions"].items():
        ds = res["train"]["dagger"]
        cells = " | ".join(
            ("/".join(_pct(x["policy_success_by_task"].get(t, 0.0)) for t in tasks)
             if x.get("policy_success_by_task") else _pct(x["policy_success"]))
            + f" (+{x['new_samples']})" for x in ds)
        lines.append(f"| {f} | {cells} | {res['train']['samples']} |")
    lines += [
        "",
        "Failure reasons and the failed episode indices per set are in `report.json`.",
        "",
        "Honest caveats: "
        + ("place on surfaces only (containers are left out: the leaf's ready phase brings the hand "
           "0.2 m over the detected point, for a container its floor, below the sink's and the bin's "
           "rims, which would sweep the held object through the wall); no wipe on MuJoCo yet. "
           if "place" in tasks else "pick only (place and wipe on MuJoCo are not trained yet). ")
        + "The detector reports the object's exact centre at test time, so the "
        "state carries most of what a pick needs; the image must supply the last centimetres only "
        "against the training bias, and the type (the grasp height differs by type) from the "
        "instruction or the frame. Cup and mug, apple and ball are the same shapes in this world: "
        "only the words tell them apart. The shelf is left out (the hand, pointing down, cannot "
        "get over an object there 0.6 m out), and evaluation scenes start with the target off the "
        "base's heading because the folded arm hides an object dead ahead from the head camera's "
        "segmentation render (the physics detector). With "
        f"{n} episodes per set one episode is {100 / n:.1f} %.",
        "",
    ]
    if r.get("async_check"):
        lines += [_async_md(r["async_check"]), ""]
    lines += [str(x) + "\n" for x in r.get("notes", [])]
    return "\n".join(lines)


def _async_md(a: dict[str, Any]) -> str:
    """The sync vs async pick check (``tools/bench_vla_tasks.py --world mujoco``), as a table."""
    r = a["result"]
    rows = [f"| sync, {h} actions per chunk | {_pct(v['success'])} | {v['mean_completion_s']} |"
            for h, v in r["sync_by_horizon"].items()]
    rows.append(f"| async (request at {a['threshold']} left, anchored chunks, latency forecast) | "
                f"{_pct(r['async']['success'])} | {r['async']['mean_completion_s']} |")
    return "\n".join([
        f"Sync vs async pick (`{a['command']}`; {a['episodes']} seeded scenes, the arm near the "
        f"target; the chunk treated as landing {a['latency_s']} s after its request; lockstep, same "
        "gate and safety chain; time-to-grasp = seconds until the fingers hold the target):", "",
        "| mode | success | mean time-to-grasp (s) |", "|---|---|---|", *rows, "",
        f"Async vs the fastest sync horizon at the best sync success (h = {r['best_sync_horizon']}): "
        f"{round(100 * r['async_speedup'])} % less time to grasp on the {r['paired_episodes']} "
        "episodes both solved."])


def _task_ev(ev: dict[str, Any], task: str) -> dict[str, Any]:
    """One task's sets of an evaluation (a pick-only report keeps the sets at the top level)."""
    return ev.get(task, ev)
