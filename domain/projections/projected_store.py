"""What the read models need of the event store (the store's side of the port)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import AbstractContextManager
from pathlib import Path
from typing import Any, Protocol

from sqlalchemy import Connection

from domain.store.base import BookInfo, StoredEvent


class ProjectedStore(Protocol):
    """What the read models need from a store: its SQL connection and a few reads."""

    @property
    def connection(self) -> Connection: ...

    @property
    def path(self) -> Path: ...

    @property
    def readonly(self) -> bool: ...

    def info(self) -> BookInfo: ...

    def transaction(self, *, allow_readonly: bool = False) -> AbstractContextManager[None]: ...

    def read_all(
        self, after_position: int = 0, to_position: int | None = None, batch_size: int = 2000
    ) -> Iterator[StoredEvent]: ...

    def read_data(
        self, after_position: int = 0, to_position: int | None = None, batch_size: int = 5000
    ) -> Iterator[list[tuple[int, str, int, dict[str, Any]]]]: ...

    def read_stream(self, stream_id: str, after_version: int = 0) -> Iterator[StoredEvent]: ...

    def head(self) -> tuple[int, bytes]: ...

    def position_at(self, when: dt.datetime) -> int: ...
