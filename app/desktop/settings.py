"""What the app remembers between runs (QSettings, organization "Tallybook")."""

from __future__ import annotations

import contextlib
import json
from pathlib import Path
from typing import Any

from PySide6.QtCore import QByteArray, QSettings

from app.desktop.shared_address import without_password
from app.preferences import EntryDate, Preferences
from domain.application.receipts import Receipt, ReceiptError

ORGANIZATION = "Tallybook"
APPLICATION = "Tallybook"
MAX_RECENT = 8
MAX_RECEIPTS = 10  # per book: the last verifications are what one checks against
_ENTRY_DATES = {e.value for e in EntryDate}


class AppSettings:
    """Recent books (files and shared books), the main window's geometry and dock layout,
    each account's CSV import profile, and the preferences."""

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

    def receipts(self, book_id: str) -> list[Receipt]:
        """The receipts kept for a book, newest first (unreadable ones are left out)."""
        value = self._settings.value(f"receipts/{book_id}")
        try:
            texts = json.loads(str(value)) if value else []
        except ValueError:
            return []
        kept = []
        for text in texts if isinstance(texts, list) else []:
            with contextlib.suppress(ReceiptError, TypeError):
                kept.append(Receipt.from_json(json.dumps(text)))
        return kept

    def keep_receipt(self, receipt: Receipt) -> None:
        """Keep a receipt first among its book's; only the last MAX_RECEIPTS stay."""
        kept = [receipt, *(r for r in self.receipts(receipt.book_id) if r != receipt)]
        data = [r.to_dict() for r in kept[:MAX_RECEIPTS]]
        self._settings.setValue(f"receipts/{receipt.book_id}", json.dumps(data))

    def preferences(self) -> Preferences:
        """The preferences saved (the defaults for what was never saved or is unreadable)."""
        value = self._settings.value("preferences")
        try:
            data = json.loads(str(value)) if value else {}
        except ValueError:
            data = {}
        if not isinstance(data, dict):
            data = {}
        default = Preferences()
        day = data.get("first_day_of_week", 0)
        entry_date = data.get("entry_date", default.entry_date.value)
        return Preferences(
            currency=str(data.get("currency", "")),
            iso_dates=data.get("iso_dates") is True,
            first_day_of_week=day if isinstance(day, int) and 0 <= day <= 7 else 0,
            entry_date=EntryDate(entry_date) if entry_date in _ENTRY_DATES else default.entry_date,
            author=str(data.get("author", "")),
        )

    def save_preferences(self, preferences: Preferences) -> None:
        data = {
            "currency": preferences.currency,
            "iso_dates": preferences.iso_dates,
            "first_day_of_week": preferences.first_day_of_week,
            "entry_date": preferences.entry_date.value,
            "author": preferences.author,
        }
        self._settings.setValue("preferences", json.dumps(data))

    def _bytes(self, key: str) -> QByteArray | None:
        value = self._settings.value(key)
        return value if isinstance(value, QByteArray) else None
