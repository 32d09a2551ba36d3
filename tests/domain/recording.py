"""A read-model projector for service tests: keeps what it is given, and can be told to fail."""

from __future__ import annotations

from collections.abc import Sequence

from domain.store.base import StoredEvent


class Recorder:
    """A projector that keeps what it is given, and can be told to fail."""

    def __init__(self) -> None:
        self.batches: list[list[StoredEvent]] = []
        self.fail = False

    def apply(self, events: Sequence[StoredEvent]) -> None:
        if self.fail:
            raise RuntimeError("projector broke")
        self.batches.append(list(events))
