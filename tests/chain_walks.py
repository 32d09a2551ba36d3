"""Choosing how verify walks the chain in a test: in-process, in child processes, or in C
threads, however small the book (see domain.store.sqlite.walk_aside and native_walk)."""

from __future__ import annotations

import os

import pytest

from domain.store.sqlite import native_walk, walk_aside

WALKS = ("in-process", "aside", "native")


def native_or_skip() -> None:
    """Skip where the C walk is not built, except in CI, where ``make`` builds it."""
    if not native_walk.available():
        if os.environ.get("CI"):
            pytest.fail(f"{native_walk.LIBRARY} is not built (make builds it)")
        pytest.skip("the C walk is not built here (make builds it where it can)")


def choose(walk: str, monkeypatch: pytest.MonkeyPatch, children: int = 2) -> None:
    """Make verify walk the ``walk`` way for the rest of the test."""
    if walk == "native":
        native_or_skip()
    monkeypatch.setattr(native_walk, "ENABLED", walk == "native")
    monkeypatch.setattr(walk_aside, "MIN_EVENTS", 1 if walk == "aside" else 10**12)
    monkeypatch.setattr(walk_aside, "NATIVE_MIN_EVENTS", 1 if walk == "native" else 10**12)
    monkeypatch.setattr(walk_aside, "workers", lambda: children)
