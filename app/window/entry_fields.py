"""The entry row's own fields: a date that moves by key, a line completed as you type, and
the chart's names the row completes and looks up."""

from __future__ import annotations

from PySide6.QtCore import QAbstractItemModel, QDate, QObject, Qt, Slot
from PySide6.QtGui import QFocusEvent, QKeyEvent
from PySide6.QtWidgets import QCompleter, QDateEdit, QLineEdit, QWidget

from app.formatting import date_format
from app.models.accounts import AccountsModel
from app.models.completions import NamesModel, account_names
from app.models.sources import AccountRow


class DayEdit(QDateEdit):
    """A booking date: today to begin with; ``+``/``-`` move a day, ``t`` is today, and one
    Tab leaves the field (a QDateEdit would step through day, month and year first)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(QDate.currentDate(), parent)
        self.setDisplayFormat(date_format())
        # no arrows or popup button: the field fits the register's date column
        self.setButtonSymbols(QDateEdit.ButtonSymbols.NoButtons)
        self.setToolTip("+ / − move a day, T is today")

    def keyPressEvent(self, event: QKeyEvent) -> None:
        text = event.text()
        if text in ("+", "="):  # "=" is "+" without Shift on many keyboards
            self.setDate(self.date().addDays(1))
        elif text == "-":
            self.setDate(self.date().addDays(-1))
        elif text in ("t", "T"):
            self.setDate(QDate.currentDate())
        else:
            super().keyPressEvent(event)
            return
        event.accept()

    def focusNextPrevChild(self, next: bool) -> bool:
        # skip QDateTimeEdit's move to the next section: Tab goes to the next field
        return QWidget.focusNextPrevChild(self, next)


def _completer(model: QAbstractItemModel, mode: QCompleter.CompletionMode,
               parent: QObject) -> QCompleter:  # fmt: skip
    completer = QCompleter(model, parent)
    completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
    completer.setCompletionMode(mode)
    completer.setModelSorting(QCompleter.ModelSorting.UnsortedModel)  # first = most recent
    return completer


class CompletingEdit(QLineEdit):
    """A line that completes what is typed from ``model``'s rows in place (the rest of the
    first match selected, so typing on replaces it), without regard to case; Down lists
    every row that starts so (Enter or a click takes one)."""

    def __init__(self, model: QAbstractItemModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setCompleter(_completer(model, QCompleter.CompletionMode.InlineCompletion, self))
        self.matches = _completer(model, QCompleter.CompletionMode.PopupCompletion, self)
        self.matches.setWidget(self)
        self.matches.activated.connect(self._take)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        popup = self.matches.popup()
        if event.key() == Qt.Key.Key_Down and not (popup is not None and popup.isVisible()):
            self.show_matches()
            return
        super().keyPressEvent(event)

    @Slot(str)
    def _take(self, chosen: str) -> None:
        self.setText(chosen)

    def show_matches(self) -> None:
        """List the rows starting with what was typed (not what was completed in place)."""
        typed = self.text()[: self.selectionStart()] if self.hasSelectedText() else self.text()
        # the part completed in place goes: it would take the Enter meant for the list
        self.setText(typed)
        self.matches.setCompletionPrefix(typed.strip())
        self.matches.complete()

    def focusOutEvent(self, event: QFocusEvent) -> None:
        # what was completed in place is a name as the list spells it
        found = self.completion()
        if found != self.text() and found.casefold() == self.text().strip().casefold():
            self.setText(found)
        super().focusOutEvent(event)

    def completion(self) -> str:
        """The first row starting with the text (case aside), or the text if none does."""
        text = self.text().strip()
        if not text:
            return ""
        completer = self.completer()
        completer.setCompletionPrefix(text)
        found = completer.currentCompletion()
        return found if found and found.casefold().startswith(text.casefold()) else text


class ChartNames(QObject):
    """The accounts the entry row names: their names for completion (kept in step with the
    accounts model), and look-ups by name or id."""

    def __init__(self, accounts: AccountsModel, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._accounts = accounts
        self.model = NamesModel(self)
        # once a sync, not on each row it changes: a timeline step changes every balance
        accounts.synced.connect(self._sync)
        self._sync()

    @Slot()
    def _sync(self) -> None:
        self.model.sync(account_names(self._accounts.accounts()))

    def named(self, name: str) -> AccountRow | None:
        """The account of that name (case aside), an open one before a closed one."""
        key = name.strip().casefold()
        found = [a for a in self._accounts.accounts() if a.name.casefold() == key]
        return next((a for a in found if not a.closed), found[0] if found else None)

    def by_id(self, account_id: str) -> AccountRow | None:
        return next((a for a in self._accounts.accounts() if a.account_id == account_id), None)

    def name_of(self, account_id: str) -> str:
        """The open account's name ("" for a closed or unknown one: no entry can go there)."""
        found = self.by_id(account_id)
        return found.name if found is not None and not found.closed else ""
