"""The entry row's own fields: a date that moves by key, and a line completed as you type."""

from __future__ import annotations

from PySide6.QtCore import QAbstractItemModel, QDate, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QCompleter, QDateEdit, QLineEdit, QWidget

from app.formatting import date_format


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


class CompletingEdit(QLineEdit):
    """A line that completes what is typed from ``model``'s rows in place (the rest of the
    first match selected, so typing on replaces it), without regard to case."""

    def __init__(self, model: QAbstractItemModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        completer = QCompleter(model, self)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setCompletionMode(QCompleter.CompletionMode.InlineCompletion)
        completer.setModelSorting(QCompleter.ModelSorting.UnsortedModel)  # first = most recent
        self.setCompleter(completer)

    def completion(self) -> str:
        """The first row starting with the text (case aside), or the text if none does."""
        text = self.text().strip()
        if not text:
            return ""
        completer = self.completer()
        completer.setCompletionPrefix(text)
        found = completer.currentCompletion()
        return found if found and found.casefold().startswith(text.casefold()) else text
