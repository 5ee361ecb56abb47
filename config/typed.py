"""Build typed, frozen configuration from the parsed TOML, refusing anything the schema does not name.

Every problem is one ``ConfigError`` sentence naming the file and the key, so the app and the CLI can stop
with it and nothing reads a section that is silently empty.
"""

from __future__ import annotations

import dataclasses
import difflib
import re
import types
import typing
from collections.abc import Mapping
from types import MappingProxyType
from typing import Any, Literal, NewType, Union

Colour = NewType("Colour", str)
"""A colour: the name of one in ``[palette]``, or ``#RRGGBB``; always held as ``#RRGGBB``."""

_HEX = re.compile(r"^#[0-9A-Fa-f]{6}$")


class ConfigError(ValueError):
    """The configuration file cannot be used; the message is one sentence naming the file and the key."""


class _Invalid(Exception):
    """One problem, worded without the file name."""


def build(cls: type, data: Mapping, source: str, palette: Mapping[str, str]) -> Any:
    """``cls`` (a frozen dataclass) from ``data``; ``ConfigError`` naming ``source`` and the key on any mismatch."""
    try:
        return _value(cls, data, "", palette)
    except _Invalid as bad:
        raise ConfigError(f"{source}: {bad}.") from None


def _value(kind: Any, value: Any, key: str, palette: Mapping[str, str]) -> Any:
    origin = typing.get_origin(kind)
    if dataclasses.is_dataclass(kind):
        return _dataclass(kind, value, key, palette)
    if kind is Colour:
        return _colour(value, key, palette)
    if origin is tuple:
        item = typing.get_args(kind)[0]
        _expect(isinstance(value, list), key, "a list", value)
        return tuple(_value(item, v, f"{key}[{n}]", palette) for n, v in enumerate(value))
    if origin is Mapping:
        item = typing.get_args(kind)[1]
        _expect(isinstance(value, dict), key, "a table", value)
        return MappingProxyType({str(k): _value(item, v, _join(key, k), palette) for k, v in value.items()})
    if origin is Literal:
        choices = typing.get_args(kind)
        if value not in choices:
            raise _Invalid(f"'{key}' is {value!r}, not one of {', '.join(map(repr, choices))}")
        return value
    if origin in (Union, types.UnionType):
        for option in typing.get_args(kind):
            try:
                return _value(option, value, key, palette)
            except _Invalid:
                continue
        raise _Invalid(f"'{key}' has the wrong type: {_kind_of(value)}")
    if kind is bool:
        _expect(isinstance(value, bool), key, "true or false", value)
    elif kind is int:
        _expect(isinstance(value, int) and not isinstance(value, bool), key, "a whole number", value)
    elif kind is float:
        _expect(isinstance(value, (int, float)) and not isinstance(value, bool), key, "a number", value)
        return float(value)
    elif kind is str:
        _expect(isinstance(value, str), key, "text", value)
    return value


def _dataclass(cls: type, value: Any, key: str, palette: Mapping[str, str]) -> Any:
    _expect(isinstance(value, dict), key or "the file", "a table", value)
    hints = typing.get_type_hints(cls)
    names = [field.name for field in dataclasses.fields(cls)]
    for given in value:
        if given not in names:
            close = difflib.get_close_matches(given, names, n=1)
            hint = f" (did you mean '{_join(key, close[0])}'?)" if close else ""
            raise _Invalid(f"unknown key '{_join(key, given)}'{hint}")
    missing = [name for name in names if name not in value]
    if missing:
        raise _Invalid(f"missing key '{_join(key, missing[0])}'")
    return cls(**{name: _value(hints[name], value[name], _join(key, name), palette) for name in names})


def _colour(value: Any, key: str, palette: Mapping[str, str]) -> str:
    _expect(isinstance(value, str), key, "a colour name or #RRGGBB", value)
    if _HEX.match(value):
        return value
    if value in palette:
        return palette[value]
    raise _Invalid(f"'{key}' is {value!r}, which is neither #RRGGBB nor a colour named in [palette]")


def _expect(ok: bool, key: str, wanted: str, value: Any) -> None:
    if not ok:
        raise _Invalid(f"'{key}' should be {wanted}, not {_kind_of(value)}")


def _kind_of(value: Any) -> str:
    names = {bool: "true/false", int: "a whole number", float: "a number", str: "text", list: "a list", dict: "a table"}
    return f"{names.get(type(value), type(value).__name__)} ({value!r:.40})"


def _join(key: str, name: Any) -> str:
    name = str(name)
    if not re.fullmatch(r"[A-Za-z0-9_-]+", name):
        name = f'"{name}"'
    return f"{key}.{name}" if key else name
