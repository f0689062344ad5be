"""Build a TensorRT engine from an ONNX model (TensorRT 10 or 11): the command line of
``tools/build_engine.py`` over :mod:`inference.build`.

    python tools/build_engine.py model.onnx -o model.engine --dim batch=1,1,4 --fp16
    python tools/build_engine.py model.onnx --shape wrist:1x3x32x32:2x3x32x32:4x3x32x32 --dry-run

Optimisation profiles come from the ONNX graph (static dims as they are, dynamic dims from
``--dim NAME=MIN,OPT,MAX`` / ``--shape INPUT:MIN:OPT:MAX`` / ``--batch``). On TensorRT 11 the
network is strongly typed and the precision comes from the ONNX; ``--fp16``/``--int8`` apply
to TensorRT 10 only. ``--dry-run`` prints the profile and exits without TensorRT.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from inference.build import ProfileError, build_engine, derive_profiles


def _shape(text: str) -> tuple[int, ...]:
    return tuple(int(v) for v in text.lower().split("x"))


def _parse_shape(arg: str) -> tuple[str, tuple]:
    name, *parts = arg.split(":")
    if len(parts) != 3:
        raise argparse.ArgumentTypeError(f"--shape wants INPUT:MIN:OPT:MAX, got {arg!r}")
    return name, tuple(_shape(p) for p in parts)


def _parse_dim(arg: str) -> tuple[str, tuple[int, int, int]]:
    name, _, vals = arg.partition("=")
    v = tuple(int(x) for x in vals.split(","))
    if len(v) != 3:
        raise argparse.ArgumentTypeError(f"--dim wants NAME=MIN,OPT,MAX, got {arg!r}")
    return name, v  # type: ignore[return-value]


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("onnx", type=Path)
    p.add_argument("-o", "--output", type=Path, help="engine path (default: <onnx stem>.engine)")
    p.add_argument("--shape", type=_parse_shape, action="append", default=[])
    p.add_argument("--dim", type=_parse_dim, action="append", default=[])
    p.add_argument("--batch", type=lambda s: tuple(int(x) for x in s.split(",")), default=(1, 1, 1))
    p.add_argument("--fp16", action="store_true")
    p.add_argument("--int8", action="store_true")
    p.add_argument("--strongly-typed", action="store_true", help="TensorRT 10: strongly typed network")
    p.add_argument("--workspace-mb", type=int, default=1024)
    p.add_argument("--dry-run", action="store_true", help="print the derived profile and stop")
    a = p.parse_args(argv)
    import onnx

    try:
        model = onnx.load(str(a.onnx), load_external_data=False)
        profile = derive_profiles(model, shapes=dict(a.shape), dims=dict(a.dim), batch=a.batch)
    except ProfileError as e:
        print(f"{a.onnx}: {e}", file=sys.stderr)
        return 2
    except Exception as e:
        print(f"{a.onnx}: cannot read ONNX: {e}", file=sys.stderr)
        return 2
    print(json.dumps({k: [list(s) for s in v] for k, v in profile.items()}))
    if a.dry_run:
        return 0
    out = a.output or a.onnx.with_suffix(".engine")
    try:
        build_engine(
            a.onnx,
            out,
            profile=profile,
            fp16=a.fp16,
            int8=a.int8,
            strongly_typed=a.strongly_typed,
            workspace_mb=a.workspace_mb,
        )
    except ImportError as e:
        print(f"{a.onnx}: TensorRT is not installed here ({e}); use --dry-run", file=sys.stderr)
        return 2
    except ProfileError as e:
        print(f"{a.onnx}: {e}", file=sys.stderr)
        return 2
    except Exception as e:  # TensorRT without a usable GPU raises from Builder(); never a traceback
        print(f"{a.onnx}: TensorRT could not build the engine: {type(e).__name__}: {e}", file=sys.stderr)
        return 2
    print(f"wrote {out}")
    return 0
