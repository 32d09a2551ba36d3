"""JSON lines -> commands, by schemas derived from the registered command types.

A command arrives as one JSON object, ``{"command": "deposit", ...}``: ``command`` is the
name it is registered under (:data:`domain.application.handlers.COMMANDS`), the other keys
are its dataclass fields, converted by their type hints (:mod:`app.cli.json_values`). A field
marked :data:`~domain.model.commands.AccountRef` may instead be given by the account's name
under the key without ``_id`` (``"account": "Checking"`` for ``"account_id": "…"``, and in
split lines ``{"account": "Rent", "amount": "-5"}``). Fields with a default are optional.
"""

from __future__ import annotations

import dataclasses
import enum
import json
import types
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Annotated, Any, get_args, get_origin, get_type_hints

from app.cli import json_values
from domain.application.handlers import COMMANDS
from domain.model.commands import Command, RefersToAccount
from domain.model.errors import InvalidCommand

Resolve = Callable[[str], str]
"""Account name -> id (raises UnknownAccount for a name no account has)."""
Convert = Callable[[object, str, Resolve], Any]
"""A JSON value, the key it came under and the resolver -> the field's value."""


@dataclass(frozen=True, slots=True)
class JsonField:
    """One field of a command (or of a split line) as JSON gives it."""

    name: str
    alias: str | None  # the key that names the account instead, for an AccountRef
    required: bool
    convert: Convert

    def label(self, *, mark_optional: bool = False) -> str:
        text = f"{self.name}|{self.alias}" if self.alias else self.name
        return f"[{text}]" if mark_optional and not self.required else text


def parse_json_line(text: str) -> dict[str, Any]:
    """Parse one line as a JSON object; refuse duplicate keys and NaN/Infinity."""
    try:
        if text.startswith("\ufeff"):  # as json.loads says it (the first line's is dropped)
            raise json.JSONDecodeError("Unexpected UTF-8 BOM (decode using utf-8-sig)", text, 0)
        value = _DECODE(text)
    except RecursionError:
        raise InvalidCommand("the line is not valid JSON: nested too deeply") from None
    except ValueError as exc:
        raise InvalidCommand(f"the line is not valid JSON: {exc}") from None
    if not isinstance(value, dict):
        raise InvalidCommand(
            f"a command must be a JSON object, got {type(value).__name__} {text.strip()[:40]!r}"
        )
    return value


def _no_constants(name: str) -> Any:
    raise ValueError(f"{name} is not allowed")


def _unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    obj = dict(pairs)
    if len(obj) < len(pairs):  # a key given twice: name the first repeated
        seen: set[str] = set()
        for key, _value in pairs:
            if key in seen:
                quoted = repr(key) if len(key) <= 40 else f"{key[:40]!r}…"
                raise ValueError(f"duplicate key {quoted}")
            seen.add(key)
    return obj


# one decoder for every line (json.loads with hooks built one a call, a tenth of the parse)
_DECODE = json.JSONDecoder(parse_constant=_no_constants, object_pairs_hook=_unique_keys).decode


def command_id_of(obj: dict[str, Any]) -> str | None:
    """The line's ``command_id``, if it gives one (looked up before any name is resolved)."""
    value = obj.get("command_id")
    return None if value is None else json_values.text(value, "command_id")


def command_from_json(obj: dict[str, Any], resolve: Resolve) -> Command:
    """Build a command from a parsed JSON object; ``resolve`` maps an account name to its id.

    Raises InvalidCommand for an unknown command, a missing, extra or badly typed field, and
    UnknownAccount for a name no account has.
    """
    name = obj.get("command")
    spec = COMMANDS.named(name) if isinstance(name, str) else None
    if spec is None:
        known = ", ".join(s.name for s in COMMANDS)
        if name is None:
            what = "missing field 'command'"
        elif isinstance(name, str) and len(name) <= 40:
            what = f"unknown command {name!r}"
        else:  # a megabyte, or a list: cut short
            what = f"unknown command {json_values.shown(name)}"
        raise InvalidCommand(f"{what}; the commands are {known}")
    fields = json_fields(spec.command_type)
    chosen: list[tuple[JsonField, str, bool]] = []  # (field, key given, given by name)
    missing = []
    for f in fields:
        alias = f.alias
        by_id, by_name = f.name in obj, alias is not None and alias in obj
        if by_id and by_name:
            raise InvalidCommand(f"{name}: give {f.name} or {alias}, not both")
        if by_id or by_name:
            chosen.append((f, alias if by_name and alias else f.name, by_name))
        elif f.required:
            missing.append(f"{f.name} (or {alias})" if alias else f.name)
    extra = sorted(obj.keys() - _allowed_keys(spec.command_type))
    if extra:
        raise InvalidCommand(
            f"{name}: unknown field{'s' if len(extra) > 1 else ''} {_listed(extra)}; "
            f"its fields are {', '.join(f.label() for f in fields)}"
        )
    if missing:
        raise InvalidCommand(f"{name}: missing {', '.join(missing)}")
    kwargs: dict[str, Any] = {}
    for f, key, by_name in chosen:
        value = obj[key]
        kwargs[f.name] = (
            resolve(json_values.text(value, key)) if by_name else f.convert(value, f.name, resolve)
        )
    command: Command = spec.command_type(**kwargs)
    return command


def commands_help() -> str:
    """One line per JSON command with its fields ([optional] ones bracketed)."""
    return "\n".join(
        f"  {spec.name}: "
        + ", ".join(f.label(mark_optional=True) for f in json_fields(spec.command_type))
        for spec in COMMANDS
    )


# --- schemas from type hints -------------------------------------------------------------------


def json_fields(cls: type[Any]) -> tuple[JsonField, ...]:
    """The JSON fields of a command (or split line) dataclass, in field order."""
    known = _FIELDS.get(cls)
    if known is None:
        known = _FIELDS[cls] = _derive_fields(cls)
    return known


_FIELDS: dict[type[Any], tuple[JsonField, ...]] = {}


def _allowed_keys(cls: type[Any]) -> frozenset[str]:
    """The keys a command's JSON object may have: ``command``, its fields and aliases."""
    known = _ALLOWED.get(cls)
    if known is None:
        keys = {key for f in json_fields(cls) for key in (f.name, f.alias) if key}
        known = _ALLOWED[cls] = frozenset({"command", *keys})
    return known


_ALLOWED: dict[type[Any], frozenset[str]] = {}


def _derive_fields(cls: type[Any]) -> tuple[JsonField, ...]:
    hints = get_type_hints(cls, include_extras=True)
    out = []
    for f in dataclasses.fields(cls):
        hint = hints[f.name]
        refers = get_origin(hint) is Annotated and any(
            isinstance(m, RefersToAccount) for m in hint.__metadata__
        )
        out.append(
            JsonField(
                name=f.name,
                alias=f.name.removesuffix("_id") if refers else None,
                required=f.default is dataclasses.MISSING
                and f.default_factory is dataclasses.MISSING,
                convert=_converter(f.name, get_args(hint)[0] if refers else hint),
            )
        )
    return tuple(out)


def _converter(field: str, hint: Any) -> Convert:
    scalar = json_values.SCALARS.get(hint)
    if scalar is not None:
        return lambda value, key, _resolve: scalar(value, key)
    if isinstance(hint, type) and issubclass(hint, enum.Enum):
        member = json_values.choice(hint)
        return lambda value, key, _resolve: member(value, key)
    args = get_args(hint)
    if get_origin(hint) is tuple and args == (str, Ellipsis):
        return lambda value, key, _resolve: _texts(value, key)
    if get_origin(hint) is tuple and args[1:] == (Ellipsis,) and _is_dataclass(args[0]):
        return _items(field, args[0])
    if get_origin(hint) is types.UnionType and len(args) == 2 and type(None) in args:
        inner = _converter(field, next(a for a in args if a is not type(None)))
        return lambda value, key, resolve: None if value is None else inner(value, key, resolve)
    if get_origin(hint) is types.UnionType and all(_is_command(a) for a in args):
        return _nested_command([COMMANDS.name_of(a) for a in args])
    raise TypeError(f"no JSON conversion for {field}: {hint!r}")  # a new Command field type


def _texts(value: object, key: str) -> tuple[str, ...]:
    """A list of strings (a reconciliation's entry ids)."""
    if not isinstance(value, list):
        raise InvalidCommand(f"{key} must be a list of strings, got {json_values.shown(value)}")
    return tuple(json_values.text(item, f"{key}[{n}]") for n, item in enumerate(value, 1))


def _is_dataclass(hint: object) -> bool:
    return isinstance(hint, type) and dataclasses.is_dataclass(hint)


def _is_command(hint: object) -> bool:
    return isinstance(hint, type) and issubclass(hint, Command)


def _items(field: str, item_type: type[Any]) -> Convert:
    """A list of objects, each one ``item_type`` (a split's lines)."""
    item_fields = json_fields(item_type)
    allowed = {key for f in item_fields for key in (f.name, f.alias) if key}
    shape = ", ".join(f.label() for f in item_fields)
    has = _and([f"{f.name} (or {f.alias})" if f.alias else f.name for f in item_fields])
    one = field.removesuffix("s")

    def convert(value: object, key: str, resolve: Resolve) -> tuple[Any, ...]:
        if not isinstance(value, list):
            raise InvalidCommand(
                f"{key} must be a list of {{{shape}}}, got {json_values.shown(value)}"
            )
        items = []
        for n, item in enumerate(value, 1):
            at = f"{key}[{n}]"
            if not isinstance(item, dict):
                raise InvalidCommand(f"{at} must be an object, got {json_values.shown(item)}")
            extra = sorted(set(item) - allowed)
            if extra:
                raise InvalidCommand(f"{at}: unknown field {_listed(extra)}; a {one} has {has}")
            for f in item_fields:
                given = (f.name in item) + (f.alias in item if f.alias else 0)
                if f.alias and (given == 2 or (given == 0 and f.required)):
                    raise InvalidCommand(f"{at} needs {f.name} or {f.alias} (one of them)")
                if f.required and not f.alias and f.name not in item:
                    raise InvalidCommand(f"{at}: missing {f.name}")
            kwargs: dict[str, Any] = {}
            for f in item_fields:
                if f.alias and f.alias in item:
                    given = item[f.alias]
                    kwargs[f.name] = resolve(json_values.text(given, f"{at}.{f.alias}"))
                elif f.name in item:
                    kwargs[f.name] = f.convert(item[f.name], f"{at}.{f.name}", resolve)
            items.append(item_type(**kwargs))
        return tuple(items)

    return convert


def _nested_command(names: Sequence[str]) -> Convert:
    """A command given as a nested object, whose ``command`` is one of ``names``."""
    either = f"{', '.join(names[:-1])} or {names[-1]}"

    def convert(value: object, key: str, resolve: Resolve) -> Command:
        if not isinstance(value, dict) or value.get("command") not in names:
            raise InvalidCommand(
                f"{key} must be an object whose command is {either}, got {json_values.shown(value)}"
            )
        try:
            return command_from_json(value, resolve)
        except InvalidCommand as exc:
            raise InvalidCommand(f"{key}: {exc.message}") from None

    return convert


def _listed(keys: Sequence[str], most: int = 5) -> str:
    """Unknown keys as a message lists them: a few, each cut short (a line may be megabytes)."""
    shown = [key if len(key) <= 40 else f"{key[:40]}…" for key in keys[:most]]
    more = f" and {len(keys) - most} more" if len(keys) > most else ""
    return ", ".join(shown) + more


def _and(items: Sequence[str]) -> str:
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} and {items[-1]}"
