"""What the app remembers between runs (QSettings, organization "Tallybook")."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from PySide6.QtCore import QByteArray, QSettings

from app.desktop.shared_address import without_password

ORGANIZATION = "Tallybook"
APPLICATION = "Tallybook"
MAX_RECENT = 8


class AppSettings:
    """Recent books (files and shared books), the main window's geometry and dock layout,
    and each account's CSV import profile."""

    def __init__(self, settings: QSettings | None = None) -> None:
        self._settings = settings or QSettings(ORGANIZATION, APPLICATION)

    def recent_books(self) -> list[Path]:
        value = self._settings.value("recent_books", [])
        names = [value] if isinstance(value, str) else list(value or [])  # type: ignore[call-overload]
        return [Path(str(name)) for name in names if str(name)]

    def add_recent_book(self, path: Path) -> None:
        path = path.resolve()
        books = [path, *(p for p in self.recent_books() if p != path)][:MAX_RECENT]
        self._settings.setValue("recent_books", [str(p) for p in books])

    def clear_recent_books(self) -> None:
        self._settings.setValue("recent_books", [])
        self._settings.setValue("recent_shared_books", [])

    def recent_shared_books(self) -> list[str]:
        """Addresses of shared books opened lately (never with a password)."""
        value = self._settings.value("recent_shared_books", [])
        names = [value] if isinstance(value, str) else list(value or [])  # type: ignore[call-overload]
        return [str(name) for name in names if str(name)]

    def add_recent_shared_book(self, address: str) -> None:
        """Remember ``address`` as it is shown: any password is dropped first."""
        address = without_password(address)
        books = [address, *(a for a in self.recent_shared_books() if a != address)]
        self._settings.setValue("recent_shared_books", books[:MAX_RECENT])

    def window_geometry(self) -> QByteArray | None:
        return self._bytes("window/geometry")

    def window_state(self) -> QByteArray | None:
        return self._bytes("window/state")

    def save_window(self, geometry: QByteArray, state: QByteArray) -> None:
        self._settings.setValue("window/geometry", geometry)
        self._settings.setValue("window/state", state)

    def import_profile(self, account_id: str) -> dict[str, Any] | None:
        """The CSV mapping last used to import into the account (a CsvProfile's JSON)."""
        value = self._settings.value(f"import_profiles/{account_id}")
        try:
            data = json.loads(str(value)) if value else None
        except ValueError:
            return None
        return data if isinstance(data, dict) else None

    def save_import_profile(self, account_id: str, profile: dict[str, Any]) -> None:
        self._settings.setValue(f"import_profiles/{account_id}", json.dumps(profile))

    def _bytes(self, key: str) -> QByteArray | None:
        value = self._settings.value(key)
        return value if isinstance(value, QByteArray) else None
