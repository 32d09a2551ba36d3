"""How an event is declared once and stored: registry, codecs and upcasters.

An event type is a frozen dataclass deriving from :class:`Event`, decorated with
:func:`event_type`. Its fields and their type hints say how it is stored; its
``schema_version`` which version it writes; static methods ``upcast_v1_v2``,
``upcast_v2_v3``, ... (one per step, each turning one version's data into the next's) how
older data is read. The decorator checks all that at import time and derives, once per class,
the encoder and the decoder of its stored JSON data:

- ``str``, ``int``, ``bool``: as they are;
- ``datetime.date``: an ISO string;
- an ``Enum``: its value;
- ``tuple[V, ...]`` of a slotted frozen dataclass ``V`` (a posting): a list of lists, one per
  value, holding V's fields in order (``str`` as is, ``int`` through ``int()``).

The codecs are generated as source (the way ``dataclasses`` makes ``__init__``): decoding the
whole log is the read side's hot loop, and a generated decoder sets an event's ``__dict__``
in one step, 2-3 times as fast as a loop over the fields through the frozen ``__init__``.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
import typing
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from enum import Enum
from typing import Any, ClassVar, TypeVar

Upcaster = Callable[[dict[str, Any]], dict[str, Any]]
"""Turns the data of one schema version into that of the next (it may change its argument)."""
Encoder = Callable[[Any], Any]
Decoder = Callable[[Any], Any]


@dataclass(frozen=True)
class Event:
    """Base of all domain events. Subclasses set ``schema_version``."""

    schema_version: ClassVar[int] = 1

    @classmethod
    def type_name(cls) -> str:
        return cls.__name__


E = TypeVar("E", bound=Event)

EVENT_TYPES: dict[str, type[Event]] = {}
"""Type name -> event class, of every declared event type."""
CURRENT_VERSION: dict[str, int] = {}
"""Event type -> the schema version this code reads without upcasting."""
UPCASTERS: dict[tuple[str, int], Upcaster] = {}
"""(type name, stored version) -> the declared upcaster to version + 1."""
FIELD_NAMES: dict[type[Event], tuple[str, ...]] = {}
"""Event class -> its fields in stored order."""
_ENCODERS: dict[type[Event], Callable[[Event], dict[str, Any]]] = {}
_DECODERS: dict[str, tuple[int, Callable[[Mapping[str, Any]], Event]]] = {}
_UPCASTER_NAME = re.compile(r"upcast_v(\d+)_v(\d+)")


def event_type(cls: type[E]) -> type[E]:
    """Register a frozen event dataclass: check its declaration, derive its codecs.

    Raises TypeError at import time for a field type without a codec, a missing or stray
    upcaster, a class that is not a dataclass deriving from Event, or a name taken.
    """
    name = cls.type_name()
    # its own dataclass (not just Event's); dataclasses refuse a subclass of the frozen
    # Event that is not frozen itself
    if not (issubclass(cls, Event) and "__dataclass_fields__" in vars(cls)):
        raise TypeError(f"{name} must be a dataclass deriving from Event")
    if name in EVENT_TYPES:
        raise TypeError(f"event type {name} is declared twice")
    hints = typing.get_type_hints(cls)
    names = tuple(field.name for field in dataclasses.fields(cls))
    codecs = {field: _codec(f"{name}.{field}", hints[field]) for field in names}
    upcasters = _declared_upcasters(cls)
    EVENT_TYPES[name] = cls
    CURRENT_VERSION[name] = cls.schema_version
    FIELD_NAMES[cls] = names
    for from_version, upcaster in upcasters.items():
        UPCASTERS[(name, from_version)] = upcaster
    _ENCODERS[cls] = _generated_encoder(cls, codecs)
    _DECODERS[name] = (cls.schema_version, _generated_decoder(cls, codecs))
    return cls


def _declared_upcasters(cls: type[Event]) -> dict[int, Upcaster]:
    """Version -> upcaster from the class's ``upcast_vN_vM`` methods: one per step, from
    version 1 up to ``schema_version``."""
    name, version = cls.type_name(), cls.schema_version
    found: dict[int, Upcaster] = {}
    for attribute in vars(cls):
        match = _UPCASTER_NAME.fullmatch(attribute)
        if match is None:
            continue
        start, end = int(match[1]), int(match[2])
        if end != start + 1 or not 1 <= start < version:
            raise TypeError(
                f"{name}.{attribute} does not upcast one step within versions 1..{version}"
            )
        if not isinstance(vars(cls)[attribute], staticmethod):
            raise TypeError(f"{name}.{attribute} must be a staticmethod")
        found[start] = getattr(cls, attribute)
    missing = [v for v in range(1, version) if v not in found]
    if missing:
        steps = ", ".join(f"upcast_v{v}_v{v + 1}" for v in missing)
        raise TypeError(f"{name} is at schema version {version} but declares no {steps}")
    return found


@dataclass(frozen=True)
class _Codec:
    """How one field is stored: source templates (``{}``: the value) and their helpers."""

    encode: str
    decode: str
    helpers: Mapping[str, Any]


_PLAIN = _Codec("{}", "{}", {})


def _codec(where: str, hint: Any) -> _Codec:
    helper = "h_" + where.replace(".", "_")
    if hint in (str, int, bool):
        return _PLAIN
    if hint is dt.date:
        return _Codec("{}.isoformat()", "from_iso({})", {"from_iso": dt.date.fromisoformat})
    if isinstance(hint, type) and issubclass(hint, Enum):
        return _Codec("{}.value", f"{helper}[{{}}]", {helper: _Members(hint)})
    args = typing.get_args(hint)
    if typing.get_origin(hint) is tuple and len(args) == 2 and args[1] is Ellipsis:
        encode, decode = _value_tuple_codec(where, args[0])
        return _Codec(f"{helper}_e({{}})", f"{helper}_d({{}})",
                      {f"{helper}_e": encode, f"{helper}_d": decode})  # fmt: skip
    raise TypeError(f"{where}: no stored form for the type {hint!r}")


class _Members(dict[Any, Enum]):
    """Value -> member of an enum; an unknown value gets the enum's own ValueError. Looked up
    with ``[]``: a plain dict lookup, no call, for every known value."""

    def __init__(self, enum: type[Enum]) -> None:
        super().__init__((member.value, member) for member in enum)
        self._enum = enum

    def __missing__(self, value: Any) -> Enum:
        return self._enum(value)


def _value_tuple_codec(where: str, value_cls: Any) -> tuple[Encoder, Decoder]:
    """Codecs of ``tuple[V, ...]``: each value as the list of its fields, in order."""
    if not (
        isinstance(value_cls, type)
        and dataclasses.is_dataclass(value_cls)
        and "__slots__" in vars(value_cls)
    ):
        raise TypeError(f"{where}: {value_cls!r} is not a slotted dataclass")
    hints = typing.get_type_hints(value_cls)
    names = [field.name for field in dataclasses.fields(value_cls)]
    parts = []
    for i, field in enumerate(names):
        if hints[field] is str:
            parts.append(f"{{p}}{i}")
        elif hints[field] is int:
            parts.append(f"int({{p}}{i})")
        else:
            raise TypeError(f"{where}: no stored form for {value_cls.__name__}.{field}")

    def unpacked(prefix: str) -> str:
        return ", ".join(f"{prefix}{i}" for i in range(len(names))) + ","

    def sets(target: str, prefix: str) -> str:
        # member descriptors set a slot past the frozen __setattr__, as dataclasses' own
        # __init__ does through object.__setattr__
        return "; ".join(
            f"set_{i}({target}, {part.format(p=prefix)})" for i, part in enumerate(parts)
        )

    # an entry mostly has two postings: unrolled, that case skips the loop and the list
    source = (
        f"def encode(values):\n"
        f"    return [[{', '.join(f'x.{n}' for n in names)}] for x in values]\n"
        f"def decode(rows):\n"
        f"    if len(rows) == 2:\n"
        f"        ({unpacked('a')}), ({unpacked('b')}) = rows\n"
        f"        first = new(cls); {sets('first', 'a')}\n"
        f"        second = new(cls); {sets('second', 'b')}\n"
        f"        return (first, second)\n"
        f"    out = []\n"
        f"    append = out.append\n"
        f"    for {unpacked('v')} in rows:\n"
        f"        value = new(cls); {sets('value', 'v')}\n"
        f"        append(value)\n"
        f"    return tuple(out)\n"
    )
    helpers = {f"set_{i}": getattr(value_cls, n).__set__ for i, n in enumerate(names)}
    namespace = _run(source, {"new": object.__new__, "cls": value_cls, **helpers})
    return namespace["encode"], namespace["decode"]


def _generated_encoder(
    cls: type[Event], codecs: Mapping[str, _Codec]
) -> Callable[[Event], dict[str, Any]]:
    items = ", ".join(f"{n!r}: {c.encode.format(f'event.{n}')}" for n, c in codecs.items())
    source = f"def encode(event):\n    return {{{items}}}\n"
    return _run(source, _helpers(codecs))["encode"]  # type: ignore[no-any-return]


def _generated_decoder(
    cls: type[Event], codecs: Mapping[str, _Codec]
) -> Callable[[Mapping[str, Any]], Event]:
    items = ", ".join(f"{n!r}: {c.decode.format(f'data[{n!r}]')}" for n, c in codecs.items())
    # no __init__: a frozen dataclass's sets each field through object.__setattr__
    source = (
        "def decode(data):\n"
        "    event = new(cls)\n"
        f"    set_dict(event, '__dict__', {{{items}}})\n"
        "    return event\n"
    )
    namespace = {"new": object.__new__, "set_dict": object.__setattr__, "cls": cls}
    return _run(source, {**namespace, **_helpers(codecs)})["decode"]  # type: ignore[no-any-return]


def _helpers(codecs: Mapping[str, _Codec]) -> dict[str, Any]:
    return {k: v for codec in codecs.values() for k, v in codec.helpers.items()}


def _run(source: str, namespace: dict[str, Any]) -> dict[str, Any]:
    exec(source, namespace)
    return namespace


def to_data(event: Event) -> dict[str, Any]:
    """The JSON-ready data of an event (dates as ISO strings, postings as lists)."""
    return _ENCODERS[type(event)](event)


def from_data(type_name: str, schema_version: int, data: Mapping[str, Any]) -> Event:
    """Rebuild an event from stored data, upcasting older schema versions on the way."""
    decoder = _DECODERS.get(type_name)
    if decoder is not None and decoder[0] == schema_version:
        return decoder[1](data)  # the usual case: no copy, no upcast
    current = upcast(type_name, schema_version, data)
    return _DECODERS[type_name][1](current)


def upcast(type_name: str, schema_version: int, data: Mapping[str, Any]) -> dict[str, Any]:
    """The data of an event in its type's current schema version (a new dict)."""
    current_version = CURRENT_VERSION.get(type_name)
    if current_version is None:
        raise ValueError(f"unknown event type {type_name!r}")
    current = dict(data)
    version = schema_version
    while version < current_version:
        try:
            current = UPCASTERS[(type_name, version)](current)
        except KeyError:
            raise ValueError(f"no upcaster for {type_name} v{version}") from None
        version += 1
    if version > current_version:
        raise ValueError(f"{type_name} v{version} is newer than this Tallybook understands")
    return current


def current_data(type_name: str, schema_version: int, data: Mapping[str, Any]) -> Mapping[str, Any]:
    """The event's data in the current schema (the fast path skips decoding entirely)."""
    if CURRENT_VERSION.get(type_name) == schema_version:
        return data
    return to_data(from_data(type_name, schema_version, data))


def data_key(cls: type[Event], field: str, *also: type[Event]) -> str:
    """``field``, checked to be a field of ``cls`` (and of each class in ``also``): for code
    that reads stored data without decoding it (the projections' hot loops), so that an
    unknown field fails at import time."""
    for checked in (cls, *also):
        if field not in FIELD_NAMES.get(checked, ()):
            raise AttributeError(f"{checked.__name__} has no field {field!r}")
    return field


def value_type(cls: type[Event], field: str) -> type:
    """The value class of a ``tuple[V, ...]`` field (``Posting`` of ``postings``)."""
    hint = typing.get_type_hints(cls)[data_key(cls, field)]
    args = typing.get_args(hint)
    if typing.get_origin(hint) is not tuple or not args or not isinstance(args[0], type):
        raise TypeError(f"{cls.__name__}.{field} holds no tuple of values")
    return args[0]


def stored_index(value_cls: type, field: str) -> int:
    """Where a value's field sits in its stored list (``Posting.amount``: 2)."""
    names = [f.name for f in dataclasses.fields(value_cls)]
    if field not in names:
        raise AttributeError(f"{value_cls.__name__} has no field {field!r}")
    return names.index(field)
