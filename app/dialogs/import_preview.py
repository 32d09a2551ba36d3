"""File ▸ Import Statement…'s preview: the rows of the file, what the import would do with
each, the counter-accounts to confirm, and Import / Cancel.

What each row's status is comes from the domain's dry run, through a narrow
:class:`Previewer` (the launcher's :class:`app.import_preview.StatementPreviewer`); Import sends
the one Import Statement command through the command controller.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Protocol

from PySide6.QtCore import QAbstractItemModel, QModelIndex, QPersistentModelIndex, Signal, Slot
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.controller import CommandController
from app.dialogs.new_category import open_new_category
from app.formatting import amount_text, date_text, money_text
from app.import_preview import ERROR, ImportPreview, StatementFile
from app.models.import_rows import CATEGORY_ROLE, COUNTER, PAYEE, UNCATEGORISED, ImportRowsModel
from app.models.sources import AccountRow
from domain.model.commands import Command, ImportStatement
from domain.model.events import AccountType

_ERROR_STYLE = "color: #c0392b; font-weight: bold;"
BIG_IMPORT = 500
"""Rows from which Import runs in a worker (the books take some 5,000 rows a second)."""
Finished = Callable[[str], None]  # "" when the import was recorded, else why not
InWorker = Callable[[ImportStatement, Finished], None]


class Previewer(Protocol):
    """The dry run and the command of an import (see :mod:`app.import_preview`)."""

    def preview(
        self, file: StatementFile, account_id: str, categories: Mapping[int, str] | None = None
    ) -> ImportPreview: ...

    def command(
        self,
        file: StatementFile,
        account_id: str,
        categories: Mapping[int, str],
        matches: Mapping[int, str] | None = None,
    ) -> ImportStatement: ...


class CounterAccountDelegate(QStyledItemDelegate):
    """A combobox of the chart's accounts (of the target's currency) for the counter-account;
    ``same_payee()`` says whether a choice goes to every row of that payee."""

    def __init__(
        self, choices: Callable[[], list[tuple[str, str]]], same_payee: Callable[[], bool],
        parent: QWidget,
    ) -> None:  # fmt: skip
        super().__init__(parent)
        self._choices = choices
        self._same_payee = same_payee

    def createEditor(
        self,
        parent: QWidget,
        option: QStyleOptionViewItem,
        index: QModelIndex | QPersistentModelIndex,
    ) -> QWidget:
        editor = QComboBox(parent)
        editor.setObjectName("counterAccountEditor")
        for name, account_id in self._choices():
            editor.addItem(name, account_id)
        editor.activated.connect(lambda _n: self._commit(editor))  # a choice is made: done
        return editor

    def _commit(self, editor: QComboBox) -> None:
        self.commitData.emit(editor)
        self.closeEditor.emit(editor)

    def setEditorData(self, editor: QWidget, index: QModelIndex | QPersistentModelIndex) -> None:
        assert isinstance(editor, QComboBox)
        found = editor.findData(index.data(CATEGORY_ROLE) or "")
        editor.setCurrentIndex(max(found, 0))

    def setModelData(
        self, editor: QWidget, model: QAbstractItemModel, index: QModelIndex | QPersistentModelIndex
    ) -> None:
        assert isinstance(editor, QComboBox) and isinstance(model, ImportRowsModel)
        model.set_category(index.row(), str(editor.currentData() or ""),
                           same_payee=self._same_payee())  # fmt: skip


class ImportPreviewDialog(QDialog):
    """The preview of one statement file. ``imported(str)`` says what the import did."""

    imported = Signal(str)

    def __init__(
        self,
        controller: CommandController,
        previewer: Previewer,
        accounts: Sequence[AccountRow],
        file: StatementFile,
        selected_id: str | None,
        parent: QWidget | None = None,
        *,
        in_worker: InWorker | None = None,
        initial: ImportPreview | None = None,
        reload_accounts: Callable[[], Sequence[AccountRow]] | None = None,
    ) -> None:
        super().__init__(parent)
        self._reload_accounts = reload_accounts  # the chart as it is now (a new category)
        self.category_dialog: QDialog | None = None  # a New Category… dialog, while open
        self._initial = initial  # the dry run already made (in a worker, for a big file)
        self._in_worker = in_worker
        self.setObjectName("importPreviewDialog")
        self.setWindowTitle(f"Import Statement — {file.name}")
        self._controller = controller
        self._previewer = previewer
        self._file = file
        self._accounts = {a.account_id: a for a in accounts}
        self._pending: Command | None = None
        self.target = QComboBox()
        self.target.setObjectName("targetAccount")
        for account in sorted(accounts, key=lambda a: a.name.casefold()):
            if not account.closed and account.account_type in (
                AccountType.ASSET, AccountType.LIABILITY,
            ):  # fmt: skip
                self.target.addItem(f"{account.name} ({account.currency})", account.account_id)
        self.target.setCurrentIndex(max(self.target.findData(selected_id), 0))
        self.about = QLabel(self._describe_file())
        self.about.setWordWrap(True)
        self.model = ImportRowsModel({a.account_id: a.name for a in accounts}, self)
        self.table = QTableView()
        self.table.setObjectName("importRows")
        self.table.setModel(self.model)
        self.same_payee = QCheckBox("Apply a counter-account to all rows of the same payee")
        self.same_payee.setChecked(True)
        self.link = QCheckBox("Link possible matches to the entries already in the books")
        self.link.setChecked(True)
        self.delegate = CounterAccountDelegate(self._choices, self.same_payee.isChecked, self)
        self.table.setItemDelegateForColumn(COUNTER, self.delegate)
        self._set_up_table()
        self.totals = QLabel()
        self.sentence = QLabel()
        self.sentence.setObjectName("importSentence")
        self.sentence.setWordWrap(True)
        self.sentence.setStyleSheet("font-weight: bold;")
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.import_button = QPushButton("Import")
        self.import_button.setDefault(True)
        self.buttons.addButton(self.import_button, QDialogButtonBox.ButtonRole.AcceptRole)
        self.new_category = QPushButton("New Category…")
        self.new_category.setToolTip("Open an account for the selected row (and its payee's)")
        self.new_category.setVisible(reload_accounts is not None)
        self.new_category.clicked.connect(self._on_new_category)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        form = QFormLayout()
        form.addRow("Into account:", self.target)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.about)
        layout.addWidget(self.table, stretch=1)
        # the counter-accounts' tools together, under the table they change
        categories = QHBoxLayout()
        categories.addWidget(self.same_payee, stretch=1)
        categories.addWidget(self.new_category)
        layout.addLayout(categories)
        layout.addWidget(self.link)
        layout.addWidget(self.totals)
        layout.addWidget(self.sentence)
        layout.addWidget(self.message)
        layout.addWidget(self.buttons)
        self.resize(900, 560)
        self.target.currentIndexChanged.connect(self.refresh)
        self.link.toggled.connect(self._on_link)
        self.model.dataChanged.connect(self._update_summary)
        controller.command_rejected.connect(self._on_rejected)
        self.refresh()

    @property
    def account_id(self) -> str:
        return str(self.target.currentData() or "")

    @Slot()
    def refresh(self) -> None:
        """Ask the dry run again (another account, or counter-accounts changed)."""
        if not self.account_id:
            self.model.beginResetModel()
            self.model.endResetModel()
            self.sentence.setText("There is no asset or liability account to import into.")
            self.import_button.setEnabled(False)
            return
        kept = self.model.categories() if self.model.preview is not None else None
        if self.model.preview is not None and self.model.preview.account_id != self.account_id:
            kept = None  # another account: its own proposals
        initial, self._initial = self._initial, None
        if initial is not None and initial.account_id == self.account_id:
            self.model.set_preview(initial)
        else:
            self.model.set_preview(self._previewer.preview(self._file, self.account_id, kept))
        self.model.set_link(self.link.isChecked())
        self.table.clearSpans()
        for number, row in enumerate(self.model.preview.rows if self.model.preview else ()):
            if row.status == ERROR:  # why it does not parse, across the empty cells
                self.table.setSpan(number, PAYEE, 1, self.model.columnCount() - PAYEE)
        self._update_summary()

    def _on_link(self, link: bool) -> None:
        self.model.set_link(link)
        self._update_summary()

    @Slot()
    def _update_summary(self) -> None:
        preview = self.model.preview
        if preview is None:
            return
        currency = preview.currency
        final = self.model.final_balance()
        self.totals.setText(
            f"New entries total {money_text(self.model.total(), currency)}; "
            f"{preview.account_name} would then stand at "
            f"{money_text(final if final is not None else preview.balance, currency)}."
        )
        self.sentence.setText(preview.sentence(self.link.isChecked()))
        self.import_button.setEnabled(not preview.problem and self._importable())

    def _importable(self) -> bool:
        preview = self.model.preview
        if preview is None:
            return False
        linking = self.link.isChecked() and bool(preview.matches)
        return linking or any(self.model.imported(row) for row in preview.rows)

    def accept(self) -> None:
        preview = self.model.preview
        if preview is None or preview.problem or not self._importable():
            return
        matches = dict(preview.matches) if self.link.isChecked() else None
        command = self._previewer.command(
            self._file, preview.account_id, self.model.categories(), matches
        )
        self._pending = command
        self._summary = (
            f"Imported {self._file.name} into {preview.account_name}: "
            + preview.sentence(self.link.isChecked()).replace("Import ", "", 1)
        )
        if self._in_worker is not None and len(command.rows) >= BIG_IMPORT:
            self._set_busy(True)
            self.message.setStyleSheet("")
            self.message.setText(f"Importing {len(command.rows):,} rows…")
            self._in_worker(command, self._on_worker_done)
        elif self._controller.execute(command):
            self.imported.emit(self._summary)
            super().accept()

    @property
    def busy(self) -> bool:
        """An import runs in a worker: the dialog waits for it."""
        return not self.buttons.isEnabled()

    def reject(self) -> None:
        if not self.busy:  # a command that runs is not cancelled half-way
            super().reject()

    def _set_busy(self, busy: bool) -> None:
        for widget in (self.buttons, self.table, self.target, self.link, self.same_payee):
            widget.setEnabled(not busy)

    def _on_worker_done(self, problem: str) -> None:
        self._set_busy(False)
        if problem:
            self.message.setStyleSheet(_ERROR_STYLE)
            self.message.setText(problem)
            return
        self.imported.emit(self._summary)
        super().accept()

    @Slot(object, str)
    def _on_rejected(self, command: object, message: str) -> None:
        if command is self._pending:
            self.message.setStyleSheet(_ERROR_STYLE)
            self.message.setText(message)

    def _on_new_category(self) -> None:
        row_number = self.table.currentIndex().row()
        row = self.model.row_at(row_number)
        target = self._accounts.get(self.account_id)
        if self._reload_accounts is None or target is None:
            return
        reload = self._reload_accounts

        def opened(account: AccountRow) -> None:
            self._accounts = {a.account_id: a for a in reload()}
            self.model.set_names({a.account_id: a.name for a in self._accounts.values()})
            if row is not None and self.model.imported(row):
                self.model.set_category(row_number, account.account_id,
                                        same_payee=self.same_payee.isChecked())  # fmt: skip

        money_in = row is not None and (row.amount or 0) > 0
        days = [s.period[0] for s in self._file.statements if s.period]
        self.category_dialog = open_new_category(
            self, self._controller, reload, target.currency, money_in,
            min(days) if days else None, opened,
        )  # fmt: skip

    def _choices(self) -> list[tuple[str, str]]:
        target = self._accounts.get(self.account_id)
        currency = target.currency if target else ""
        found = [
            (a.name, a.account_id)
            for a in self._accounts.values()
            if not a.closed and a.currency == currency and a.account_id != self.account_id
        ]
        return [(UNCATEGORISED, ""), *sorted(found, key=lambda c: c[0].casefold())]

    def _describe_file(self) -> str:
        file = self._file
        formats = sorted({s.format.upper() for s in file.statements})
        rows = sum(len(s.rows) for s in file.statements)
        text = f"{file.name}: {', '.join(formats) or 'no'} statement, {rows} rows"
        periods = [s.period for s in file.statements if s.period]
        if periods:
            first, last = min(p[0] for p in periods), max(p[1] for p in periods)
            text += f", {date_text(first)} – {date_text(last)}"
        closing = file.closing
        if closing is not None:
            on = f" on {date_text(closing[1])}" if closing[1] else ""
            target = self._accounts.get(self.target.currentData())
            stated = [s.currency for s in file.statements if s.currency]
            currency = stated[-1] if stated else (target.currency if target else None)
            text += f"; the statement's closing balance{on} is {amount_text(closing[0], currency)}"
        return text + "."

    def _set_up_table(self) -> None:
        table = self.table
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setAlternatingRowColors(True)
        table.setShowGrid(False)
        table.setWordWrap(False)
        table.verticalHeader().setVisible(False)
        table.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.SelectedClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
        )
        header = table.horizontalHeader()
        for column, width in ((0, 110), (1, 100), (3, 230), (4, 110), (5, 120)):
            header.resizeSection(column, width)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        header.setHighlightSections(False)
