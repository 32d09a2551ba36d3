"""What the app remembers between runs (QSettings, organization "Tallybook")."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from PySide6.QtCore import QByteArray, QSettings

ORGANIZATION = "Tallybook"
APPLICATION = "Tallybook"
MAX_RECENT = 8


class AppSettings:
    """Recent books, the main window's geometry and dock layout, and each account's CSV
    import profile."""

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

    def window_geometry(self) -> QByteArray | None:
        return self._bytes("window/geometry")

    def window_state(self) -> QByteArray | None:
        return self._bytes("window/state")

    def save_window(self, geometry: QByteArray, state: QByteArray) -> None:
        self._settings.setValue("window/geometry", geometry)
        self._settings.setValue("window/state", state)

    def show_closed_accounts(self) -> bool:
        """Whether the accounts view shows closed accounts (it does, unless told not to)."""
        value = self._settings.value("view/show_closed_accounts", True)
        return value not in (False, "false", "0", 0)

    def set_show_closed_accounts(self, show: bool) -> None:
        self._settings.setValue("view/show_closed_accounts", show)

    def hide_voided(self) -> bool:
        """Whether registers leave out voided entries and their voids (View menu)."""
        return str(self._settings.value("register/hide_voided", "false")).lower() == "true"

    def set_hide_voided(self, hide: bool) -> None:
        self._settings.setValue("register/hide_voided", "true" if hide else "false")

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
