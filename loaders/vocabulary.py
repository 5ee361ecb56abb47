"""Words a Mapping maps for one reading ("Slipping" -> amber, "Gateway 3" -> 3), consulted before the
configured vocabularies. The map is set for the span of one extraction, so the parsers' own caches of the
configured words stay valid."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

# What each vocabulary maps a word to, and the issue codes that report a word it does not know.
KINDS: dict[str, tuple[str, ...]] = {
    "rag": ("red", "amber", "green", "blue", "grey"),
    "stage": ("0", "1", "2", "3", "4", "5"),
    "likelihood": ("1", "2", "3", "4", "5"),
    "consequence": ("1", "2", "3", "4", "5"),
    "trend": ("improving", "unchanged", "deteriorating"),
    "appetite": ("Averse", "Minimal", "Cautious", "Open", "Eager"),  # the names of [risks] appetite_levels
}

_MAPPED: ContextVar[dict[str, dict[str, Any]] | None] = ContextVar("mapped_words", default=None)


def word_key(value: Any) -> str:
    return " ".join(str(value).split()).lower()


def mapped(kind: str, value: Any) -> Any | None:
    """What the Mapping in force maps this cell's word to, or None."""
    words = _MAPPED.get()
    if not words or not isinstance(value, str):
        return None
    return words.get(kind, {}).get(word_key(value))


@contextmanager
def using(words: dict[str, dict[str, Any]]) -> Iterator[None]:
    kept = {kind: {word_key(w): v for w, v in found.items() if v is not None} for kind, found in words.items()}
    token = _MAPPED.set({kind: found for kind, found in kept.items() if found})
    try:
        yield
    finally:
        _MAPPED.reset(token)
