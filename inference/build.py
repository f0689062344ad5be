"""ONNX -> TensorRT engine building helpers (the CLI is ``tools/build_engine.py``).

:func:`derive_profiles` and :func:`plan_build` are pure and tested; :func:`build_engine` needs
TensorRT (imported lazily) and handles TensorRT 10 (weakly typed by default; FP16/INT8 builder
flags) and TensorRT 11 (strongly typed only: precision comes from the ONNX graph itself).
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

log = logging.getLogger("inference.build")

Shape = tuple[int, ...]
Profile = dict[str, tuple[Shape, Shape, Shape]]  # input -> (min, opt, max)


class ProfileError(ValueError):
    pass


def graph_inputs(model: Any) -> list[tuple[str, list[int | str | None]]]:
    """(name, dims) of the real inputs of an ONNX ModelProto (initializers excluded)."""
    inits = {i.name for i in model.graph.initializer}
    out = []
    for vi in model.graph.input:
        if vi.name in inits:
            continue
        dims: list[int | str | None] = []
        for d in vi.type.tensor_type.shape.dim:
            if d.HasField("dim_value") and d.dim_value > 0:
                dims.append(int(d.dim_value))
            elif d.HasField("dim_param") and d.dim_param:
                dims.append(d.dim_param)
            else:
                dims.append(None)
        out.append((vi.name, dims))
    return out


def derive_profiles(
    model: Any,
    *,
    shapes: Mapping[str, tuple[Shape, Shape, Shape]] | None = None,
    dims: Mapping[str, tuple[int, int, int]] | None = None,
    batch: tuple[int, int, int] = (1, 1, 1),
) -> Profile:
    """Optimisation-profile shapes for every graph input.

    Static dims are used as they are. A dynamic dim takes, in priority: the full-shape override
    in ``shapes[input]``; the named-dim override ``dims[dim_param]`` (e.g. ``{"batch": (1, 4, 8)}``);
    ``batch`` for axis 0. Anything else raises ``ProfileError`` naming the input and axis.
    Overrides must agree with static dims and satisfy min <= opt <= max.
    """
    shapes, dims = dict(shapes or {}), dict(dims or {})
    profile: Profile = {}
    for name, gdims in graph_inputs(model):
        if name in shapes:
            mn, opt, mx = (tuple(int(v) for v in s) for s in shapes[name])
            for s in (mn, opt, mx):
                if len(s) != len(gdims):
                    raise ProfileError(f"input '{name}': override rank {len(s)}, graph rank {len(gdims)}")
            for axis, g in enumerate(gdims):
                if isinstance(g, int) and not mn[axis] == opt[axis] == mx[axis] == g:
                    raise ProfileError(
                        f"input '{name}' axis {axis}: static {g}, override {mn[axis]}/{opt[axis]}/{mx[axis]}"
                    )
        else:
            lo, mid, hi = [], [], []
            for axis, g in enumerate(gdims):
                if isinstance(g, int):
                    trip = (g, g, g)
                elif isinstance(g, str) and g in dims:
                    trip = tuple(int(v) for v in dims[g])
                elif axis == 0:
                    trip = tuple(int(v) for v in batch)
                else:
                    raise ProfileError(
                        f"input '{name}' axis {axis} is dynamic ({g or '?'}): give "
                        f"--dim {g or 'NAME'}=MIN,OPT,MAX or --shape {name}:..."
                    )
                lo.append(trip[0])
                mid.append(trip[1])
                hi.append(trip[2])
            mn, opt, mx = tuple(lo), tuple(mid), tuple(hi)
        for axis, (a, b, c) in enumerate(zip(mn, opt, mx)):
            if not 1 <= a <= b <= c:
                raise ProfileError(
                    f"input '{name}' axis {axis}: need 1 <= min <= opt <= max, got {a}/{b}/{c}"
                )
        profile[name] = (mn, opt, mx)
    unknown = set(shapes) - {n for n, _ in graph_inputs(model)}
    if unknown:
        raise ProfileError(f"--shape for unknown input(s) {sorted(unknown)}")
    return profile


@dataclass(frozen=True)
class BuildPlan:
    major: int
    strongly_typed: bool
    flags: tuple[str, ...]  # BuilderFlag names to set
    warnings: tuple[str, ...] = field(default_factory=tuple)

    @property
    def creation_flags(self) -> tuple[str, ...]:
        """``NetworkDefinitionCreationFlag`` names for ``create_network``. TensorRT 11 is always
        strongly typed and deprecates the flag, so nothing is passed there; TensorRT 10 needs
        ``STRONGLY_TYPED`` to opt in."""
        return ("STRONGLY_TYPED",) if self.strongly_typed and self.major < 11 else ()


def plan_build(
    major: int, *, fp16: bool = False, int8: bool = False, strongly_typed: bool = False
) -> BuildPlan:
    """What to ask of TensorRT ``major``. TRT >= 11: strongly typed always, no precision flags
    (precision must be in the ONNX: AutoCast for FP16, Q/DQ nodes for INT8). TRT 10: builder
    flags FP16/INT8 unless ``strongly_typed`` is asked for."""
    warnings: list[str] = []
    if major >= 11:
        if fp16 or int8:
            warnings.append(
                f"TensorRT {major} builds strongly typed networks only; --fp16/--int8 are ignored: "
                "put the precision in the ONNX (ModelOpt AutoCast for FP16, Q/DQ nodes for INT8)"
            )
        return BuildPlan(major, True, (), tuple(warnings))
    if major < 10:
        raise ValueError(f"TensorRT {major} is not supported (need 10 or 11)")
    if strongly_typed:
        if fp16 or int8:
            warnings.append("strongly typed network: --fp16/--int8 ignored; precision comes from the ONNX")
        return BuildPlan(major, True, (), tuple(warnings))
    flags = []
    if fp16:
        flags.append("FP16")
    if int8:
        flags.append("INT8")
        warnings.append("INT8 without a calibrator: the ONNX must carry Q/DQ nodes (explicit quantisation)")
    return BuildPlan(major, False, tuple(flags), tuple(warnings))


def build_engine(
    onnx_path: str | Path,
    engine_path: str | Path,
    *,
    profile: Profile | None = None,
    fp16: bool = False,
    int8: bool = False,
    strongly_typed: bool = False,
    workspace_mb: int = 1024,
    shapes: Mapping[str, tuple[Shape, Shape, Shape]] | None = None,
    dims: Mapping[str, tuple[int, int, int]] | None = None,
) -> Path:
    """Build and serialise a TensorRT engine. Raises ImportError if TensorRT is missing."""
    import onnx
    import tensorrt as trt

    from inference.backends.tensorrt_backend import tensorrt_major

    onnx_path, engine_path = Path(onnx_path), Path(engine_path)
    if profile is None:
        profile = derive_profiles(
            onnx.load(str(onnx_path), load_external_data=False), shapes=shapes, dims=dims
        )
    plan = plan_build(tensorrt_major(trt.__version__), fp16=fp16, int8=int8, strongly_typed=strongly_typed)
    for w in plan.warnings:
        log.warning(w)
    logger = trt.Logger(trt.Logger.WARNING)
    builder = trt.Builder(logger)
    flags = 0
    for name in plan.creation_flags:
        flags |= 1 << int(getattr(trt.NetworkDefinitionCreationFlag, name))
    network = builder.create_network(flags)
    parser = trt.OnnxParser(network, logger)
    if not parser.parse_from_file(str(onnx_path)):
        errors = "; ".join(str(parser.get_error(i)) for i in range(parser.num_errors))
        raise RuntimeError(f"{onnx_path}: TensorRT could not parse the ONNX: {errors}")
    config = builder.create_builder_config()
    config.set_memory_pool_limit(trt.MemoryPoolType.WORKSPACE, int(workspace_mb) << 20)
    for flag in plan.flags:
        config.set_flag(getattr(trt.BuilderFlag, flag))
    net_inputs = {(t := network.get_input(i)).name: tuple(t.shape) for i in range(network.num_inputs)}
    check_profile_covers(profile, net_inputs, onnx_path)
    opt_profile = builder.create_optimization_profile()
    for name, (mn, opt, mx) in profile.items():
        opt_profile.set_shape(name, mn, opt, mx)
    if config.add_optimization_profile(opt_profile) < 0:
        raise ProfileError(f"{onnx_path}: TensorRT rejected the optimisation profile {profile} "
                           "(a dynamic input without a shape, or min > opt > max)")
    serialized = builder.build_serialized_network(network, config)
    if serialized is None:
        raise RuntimeError(f"{onnx_path}: TensorRT engine build failed (see the log above)")
    engine_path.parent.mkdir(parents=True, exist_ok=True)
    engine_path.write_bytes(bytes(serialized))
    return engine_path


def check_profile_covers(
    profile: Profile, network_inputs: Mapping[str, Shape], onnx_path: str | Path
) -> None:
    """Every dynamic network input (a -1 in its shape) needs a profile entry and every entry an
    input: otherwise TensorRT's ``add_optimization_profile`` fails with a log line only. Pure, tested."""
    missing = sorted(n for n, shape in network_inputs.items() if -1 in shape and n not in profile)
    unknown = sorted(set(profile) - set(network_inputs))
    if missing or unknown:
        raise ProfileError(f"{onnx_path}: optimisation profile does not match the network inputs "
                           f"(missing {missing}, unknown {unknown})")
