"""The choices only some reports have: net worth's points (month ends or days) and cash
flow's account (one asset account or all). The accounts come with each computed result."""

from __future__ import annotations

import dataclasses

from PySide6.QtCore import Signal, Slot
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QWidget

from app.background.report_jobs import ReportRequest

STEPS = (("month", "Month ends"), ("day", "Days"))
ALL_ACCOUNTS = "All asset accounts"


class ReportOptions(QWidget):
    """``Points: [Month ends|Days]`` for net worth, ``Account: [All|…]`` for cash flow;
    ``changed`` when either is chosen."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.step = QComboBox()
        self.step.setObjectName("reportStep")
        for key, text in STEPS:
            self.step.addItem(text, key)
        self.account = QComboBox()
        self.account.setObjectName("reportAccount")
        self.account.addItem(ALL_ACCOUNTS, None)
        self.step_label, self.account_label = QLabel("Point&s:"), QLabel("&Account:")
        self.step_label.setBuddy(self.step)
        self.account_label.setBuddy(self.account)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        for widget in (self.step_label, self.step, self.account_label, self.account):
            layout.addWidget(widget)
        self.step.currentIndexChanged.connect(self._on_changed)
        self.account.currentIndexChanged.connect(self._on_changed)
        self.show_for("")

    def show_for(self, kind: str) -> None:
        """Show the choices that ``kind`` has (none: the widget hides)."""
        for widget, wanted in ((self.step_label, "net-worth"), (self.step, "net-worth"),
                               (self.account_label, "cash-flow"), (self.account, "cash-flow")):
            widget.setVisible(kind == wanted)  # fmt: skip
        self.setVisible(kind in ("net-worth", "cash-flow"))

    def set_accounts(self, accounts: list[tuple[str, str]]) -> None:
        """The asset accounts to choose from, (id, name); the choice stays if still there."""
        have = [(self.account.itemData(i), self.account.itemText(i))
                for i in range(1, self.account.count())]  # fmt: skip
        if have == accounts:
            return  # the usual case on every result: nothing to redo
        chosen = self.account.currentData()
        self.account.blockSignals(True)
        try:
            self.account.clear()
            self.account.addItem(ALL_ACCOUNTS, None)
            for account_id, name in accounts:
                self.account.addItem(name, account_id)
            index = self.account.findData(chosen) if chosen is not None else 0
            self.account.setCurrentIndex(max(index, 0))
        finally:
            self.account.blockSignals(False)
        if self.account.currentData() != chosen:
            self.changed.emit()  # the chosen account went: the report is of all of them

    def apply(self, request: ReportRequest) -> ReportRequest:
        """``request`` with the chosen step and account (for the kinds that take them)."""
        step = str(self.step.currentData()) if request.kind == "net-worth" else "month"
        account = self.account.currentData() if request.kind == "cash-flow" else None
        return dataclasses.replace(request, step=step, account_id=account)

    @Slot()
    def _on_changed(self) -> None:
        self.changed.emit()
