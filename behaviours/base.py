"""Shared plumbing for our behaviours: binding to the run context, recording failures, and
py_trees' typed ports (``py_trees.ports.PortsMixin``).

Why ports: py_trees 2.6 reads BehaviorTree.CPP XML (``py_trees.parsers.behaviour_tree_xml``)
and resolves every tag from the registry of imported ``PortsMixin`` classes, passing the
tag's attributes as *input ports* (a constant, or ``{key}`` for a blackboard key another node
writes) and wiring *output ports* to keys later nodes read. Our behaviours are such classes,
so ``import behaviours.leaves`` is all a Groot2 / BT.CPP tree needs.

Two ways to build a leaf, one behaviour:

- in Python, ``NavigateTo("go", "kitchen_table")``: the constructor argument is the input
  port's value. A value written ``"{key}"`` wires the port to that blackboard key instead
  (``NavigateTo("go", "{cup_place}")``), and output ports are wired by name
  (``Detect("find", "red_cup", location="{cup_place}")``); ``setup()`` sets the ports up.
  A leaf with nothing wired registers no blackboard key and writes nothing (so compiled trees
  and their goldens are what they were);
- from XML, the parser calls :meth:`setup_ports`; constants become the same attributes as the
  constructor's, so renders, ``params()`` and the validator see one thing either way.
"""

from __future__ import annotations

import re
from typing import Any, ClassVar

import py_trees
import py_trees.ports
from py_trees.ports import CONST_PREFIX, NoDataAvailable, PortInformation, PortsMixin

from behaviours.context import ContextMissingError, RunContext
from behaviours.reasons import Reason

#: A class's port declarations: port name -> py_trees' PortInformation.
Ports = dict[str, PortInformation]

_WIRING = re.compile(r"^\{([^{}]+)\}$")


def is_wiring(value: Any) -> bool:
    """True for a port value written ``"{key}"``: a blackboard key, not a constant."""
    return isinstance(value, str) and "{" in value and _WIRING.match(value.strip()) is not None


def wiring_key(value: str) -> str:
    """The blackboard key of a ``"{key}"`` value (relative keys live under ``/``)."""
    m = _WIRING.match(value.strip())
    if m is None:
        raise ValueError(f"not a {{key}} reference: {value!r}")
    return m.group(1).strip()


def _display_key(key: str) -> str:
    """``/cup_place`` -> ``{cup_place}`` (as the XML wrote it); deeper keys stay absolute."""
    return "{" + (key[1:] if key.startswith("/") and key.count("/") == 1 else key) + "}"


def port(data_type: Any, description: str = "", default: Any = None, required: bool = True
         ) -> PortInformation:
    """A port declaration (py_trees' :class:`~py_trees.ports.PortInformation`), shorter."""
    return PortInformation(data_type=data_type, required=required, description=description,
                           default_value=default)


_CONCRETE: set[type] = set()  # PortsBound classes found concrete (checked once each)


class PortReadError(RuntimeError):
    """An input port wired to a blackboard key found nothing usable there."""


class PortsBound(PortsMixin):
    """Port plumbing shared by our leaves (:class:`ContextBound`) and the safety guard.

    Input values live in attributes (see :meth:`_port_value`); a wired input holds its
    ``"{key}"`` there and is read from the blackboard when the behaviour starts.
    """

    INPUT_PORTS: dict[str, PortInformation]
    OUTPUT_PORTS: dict[str, PortInformation]

    def __init__(self, *args: Any, behaviour_class_name: str | None = None, **kwargs: Any) -> None:
        # What PortsMixin.__init__ does, but its refusal of abstract classes scans
        # dir(type(self)) on every construction (~120 µs a node, 5x a plain behaviour, in every
        # compiled tree); here it runs once per class.
        cls = type(self)
        if cls not in _CONCRETE:
            if py_trees.ports._ports_class_is_abstract(cls):
                raise TypeError(f"Can't instantiate abstract class {cls.__name__} without the "
                                "INPUT_PORTS and OUTPUT_PORTS class attribute declarations.")
            _CONCRETE.add(cls)
        super(PortsMixin, self).__init__(*args, **kwargs)
        self._blackboard_client: py_trees.blackboard.Client | None = None
        self._subtree_namespace: str | None = None
        self._ports_logger: Any = None
        self._behaviour_class_name = behaviour_class_name or cls.__name__

    def _init_ports(self, outputs: dict[str, Any]) -> None:
        if unknown := sorted(set(outputs) - set(self.output_ports())):
            outs = sorted(self.output_ports()) or "none"
            raise TypeError(f"{type(self).__name__}({self.name!r}): unknown argument(s) {unknown}; "
                            f"its output ports are {outs}")
        for p, key in outputs.items():
            if not is_wiring(key):
                raise TypeError(f"{type(self).__name__}({self.name!r}): output port {p!r} takes a "
                                f"blackboard key written '{{key}}', got {key!r}")
        self._outputs_wired: dict[str, str] = dict(outputs)
        self._ports_args: tuple[dict[str, str], str, Any] | None = None

    # -- values behind the ports (subclasses with other attribute names override) ----------
    def _port_value(self, name: str) -> Any:
        return getattr(self, name, None)

    def _set_port_value(self, name: str, value: Any) -> None:
        setattr(self, name, value)

    # -- py_trees' port life cycle ----------------------------------------------------------
    def setup_ports(self, port_remappings: dict | None = None, subtree_namespace: str = "/",
                    logger: Any = None) -> None:
        """py_trees' port set-up (the XML parser calls it), then constants become attributes.
        Safe to call again (``setup()`` does after the runtime clears the blackboard)."""
        remaps = dict(port_remappings or {})
        old = self._blackboard_client
        if old is not None and old in self.blackboards:
            self.blackboards.remove(old)
        try:
            super().setup_ports(remaps, subtree_namespace, logger)
        except (ValueError, KeyError) as e:
            raise ValueError(f"{type(self).__name__} {self.name!r}: {e}") from e
        self._ports_args = (remaps, subtree_namespace, logger)
        for p, key in remaps.items():
            if p in self.input_ports():
                if CONST_PREFIX in key:
                    self._set_port_value(p, self.blackboard_client.get(p))
                else:
                    self._set_port_value(p, _display_key(key))
            else:
                self._outputs_wired[p] = _display_key(key)

    def _wire_ports(self) -> None:
        """At ``setup()``: (re)register the ports that are wired. The runtime clears the
        blackboard before a run, so an XML tree's registrations are made again here."""
        if self._ports_args is not None:
            # constants are already attributes; only wired keys are registered again (so the
            # run's blackboard holds the tree's data flow, not a copy of every constant)
            remaps, namespace, logger = self._ports_args
            wired = {p: k for p, k in remaps.items() if CONST_PREFIX not in k}
            old = self._blackboard_client
            if old is not None and old in self.blackboards:
                self.blackboards.remove(old)
            PortsMixin.setup_ports(self, wired, namespace, logger)  # type: ignore[arg-type]
            return
        remaps = {p: wiring_key(v) for p in self.input_ports()
                  if is_wiring(v := self._port_value(p))}
        remaps.update({p: wiring_key(v) for p, v in self._outputs_wired.items()})
        if remaps:
            self.setup_ports(remaps)

    @property
    def ports_wired(self) -> bool:
        """True once the ports are set up (from XML, or with something wired)."""
        return self._blackboard_client is not None

    def port_in(self, name: str) -> Any:
        """The value of an input port now: the constant, or what its key holds."""
        value = self._port_value(name)
        if not is_wiring(value):
            return value
        if not self.ports_wired:
            raise PortReadError(f"input port {name!r} is wired to {value} but the ports were "
                                "never set up (setup() not called)")
        try:
            return self.get_input(name)
        except NoDataAvailable:
            raise PortReadError(f"input port {name!r}: nothing has been written to {value} "
                                "yet") from None
        except (TypeError, NotImplementedError) as e:
            raise PortReadError(f"input port {name!r} ({value}): {e}") from None

    def port_out(self, name: str, value: Any) -> None:
        """Write an output port. With the ports not set up nothing reads it: not written."""
        if self.ports_wired and value is not None:
            self._set_output(name, value)

    def wirings(self) -> dict[str, str]:
        """Port name -> ``{key}`` for every wired port (inputs and outputs): for renders."""
        out = {p: v for p in self.input_ports() if is_wiring(v := self._port_value(p))}
        out.update(self._outputs_wired)
        return out

    def __str__(self) -> str:  # py_trees' default, not PortsMixin's ``Class=='name'``
        return py_trees.behaviour.Behaviour.__str__(self)  # type: ignore[arg-type]

    def __repr__(self) -> str:
        return py_trees.behaviour.Behaviour.__repr__(self)  # type: ignore[arg-type]


class ContextPorts(PortsBound, register=False):
    """Ports plus the run's :class:`RunContext`, kept from ``setup(context=...)`` and read
    through :attr:`ctx`: the one home for our leaves (:class:`ContextBound`) and the recovery
    decorators (``behaviours.recovery``)."""

    _ctx: RunContext | None
    name: str

    def setup(self, **kwargs: Any) -> None:
        ctx = kwargs.get("context")
        if ctx is not None:
            self._ctx = ctx
        self._wire_ports()

    @property
    def ctx(self) -> RunContext:
        if self._ctx is None:
            raise ContextMissingError(f"{self.name}: ticked before setup(context=...)")
        return self._ctx


class ContextBound(ContextPorts, py_trees.behaviour.Behaviour, register=False):
    """A behaviour that gets its :class:`RunContext` from ``setup(context=...)``.

    Subclasses declare their ports (``INPUT_PORTS`` / ``OUTPUT_PORTS``); concrete ones are
    registered under their class name for py_trees' XML parser (``register=False`` opts out).
    """

    INPUT_PORTS: ClassVar[Ports] = {}
    OUTPUT_PORTS: ClassVar[Ports] = {}

    #: True for leaves that can move the robot; the validator requires a guard above them.
    actuating: bool = False

    def __init__(self, name: str, *, behaviour_class_name: str | None = None, **outputs: Any) -> None:
        super().__init__(name=name, behaviour_class_name=behaviour_class_name)
        self._init_ports(outputs)
        self._ctx: RunContext | None = None
        self.step_id: str | None = None  # set by the compiler: which plan step this serves
        self.reason: Reason = Reason.NONE

    def params(self) -> dict[str, Any]:
        """Parameters shown in renders, snapshots and goldens (deterministic, JSON-able)."""
        return {}

    def check_params(self) -> list[str]:
        """Problems with this behaviour's parameters (empty when fine); read by the validator."""
        return []

    def fail(self, reason: Reason, message: str = "") -> py_trees.common.Status:
        """Record a failure with its reason for the step's abort and the operator."""
        self.reason = reason
        self.feedback_message = f"{reason.name}: {message}" if message else reason.name
        if self._ctx is not None:
            self._ctx.step_reasons.setdefault(self.step_id or "", []).append(
                (reason, message or reason.describe, self.name)
            )
            self._ctx.record("failure", self.name, reason=reason.name, message=message)
        return py_trees.common.Status.FAILURE


def need_text(value: Any, what: str) -> list[str]:
    """Validator helper: a non-empty string parameter."""
    if not isinstance(value, str) or not value.strip():
        return [f"{what} must be a non-empty string, got {value!r}"]
    return []
