"""The main window: accounts (left), register (centre), history dock, timeline along the bottom.

It lays out the views and routes menu commands; the command dialogs, the File menu
(:mod:`app.window.file_menu`), the book's operations (:mod:`app.background`) and the models do
the work.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import QMainWindow, QMessageBox, QSplitter, QToolBar, QVBoxLayout, QWidget

from app.background.book_operations import BookOperations
from app.book_health import Breakage
from app.desktop.paths import default_book_path
from app.desktop.settings import AppSettings
from app.models.sources import AccountRow, RegisterRow
from app.window.accounts_view import AccountsView
from app.window.actions import Actions, add_context_menus, build_menus, build_tool_bar
from app.window.banner import PastBanner
from app.window.banner_place import BannerPlace
from app.window.command_dialogs import CommandDialogs
from app.window.date_axis import history_day
from app.window.diff_wiring import DiffWiring
from app.window.enabling import update_editing
from app.window.entry_wiring import EntryRowWiring
from app.window.file_menu import FileMenu
from app.window.help_texts import no_accounts_hint, show_about
from app.window.history_check import HistoryCheck
from app.window.history_dock import HistoryDock
from app.window.history_wiring import wire_history
from app.window.import_wiring import wire_imports
from app.window.long_commands import LongCommands
from app.window.operations_wiring import OperationsWiring
from app.window.receipts_wiring import ReceiptsWiring
from app.window.recorded import recorded_text
from app.window.register_view import RegisterPanel
from app.window.reports_wiring import ReportsWiring
from app.window.status_bar import BookStatusBar
from app.window.timeline import Timeline
from app.window.undo_menu import undo_menu_for
from app.window.window_parts import BookOpener, WindowParts
from app.window.window_size import restore_layout
from domain.model.commands import MoveAccount
from domain.store.base import StoredEvent


class MainWindow(QMainWindow):
    """One book's window. ``closed`` fires once it has closed (the book can then be closed)."""

    closed = Signal()

    def __init__(self, parts: WindowParts, opener: BookOpener, settings: AppSettings) -> None:
        super().__init__()
        self.setObjectName("mainWindow")
        self._parts = parts
        self._settings = settings
        self.actions_ = Actions(self)
        self.dialogs = CommandDialogs(parts.controller, parts.accounts, parts.entry_command, self)
        self.operations = BookOperations(parts.path, self, address=parts.where)
        self._build_views()
        self.entry_row = (
            EntryRowWiring(parts, self.dialogs, self.register_panel, lambda: self.editable, self)
            if parts.payees is not None else None
        )  # fmt: skip
        self._build_menus()
        # a shared book's local copy is in the cache: its file dialogs start in the books folder
        near = default_book_path().with_name(f"{parts.title}.tallybook") if parts.where else None
        self.files = FileMenu(
            self, near or parts.path, opener, settings, self.operations, self.recent_menu
        )
        self.history_check = HistoryCheck(self.operations, self.status, parts.health)
        self.receipts = ReceiptsWiring(self, parts.address, parts.book_id, settings,
                                       self.actions_.verify_receipt, parts.app_version)  # fmt: skip
        self.answers = OperationsWiring(self, self.operations, self.actions_, self.status,
                                        self.receipts, self._reload_views)  # fmt: skip
        self.imports = wire_imports(
            self, parts, self.actions_, settings, self.dialogs,
            (self.accounts_view.selected_account, self.register_panel.selected_entry),
            lambda: self.editable, lambda text: self.status.showMessage(text, 12000),
            self.history_dock.table,
        )  # fmt: skip
        a, say = self.actions_, lambda text: self.status.showMessage(text, 8000)
        long = LongCommands(self, parts.address, parts.controller, lambda: parts.travel.head, say)
        self.undo_menu = undo_menu_for(a.undo, a.redo, parts.undo_stacks, parts.controller,
                                       lambda: self.editable, long)  # fmt: skip
        self._connect()
        self.history_search = wire_history(self, parts, self.history_dock, self.accounts_view,
                                           self.register_panel)  # fmt: skip
        self._update_title()
        restore_layout(self, settings.window_geometry(), settings.window_state())
        self.status.set_event_count(parts.travel.head)
        self._update_editing()
        self.accounts_view.select_first_account()
        self._show_standing_note()
        self.history_check.start()

    # --- construction ---------------------------------------------------------------------

    def _build_views(self) -> None:
        parts = self._parts
        self.banner = PastBanner()
        self.accounts_view = AccountsView(parts.accounts)
        self.register_panel = RegisterPanel(
            parts.register,
            accounts=parts.accounts,
            no_accounts_hint=no_accounts_hint(self.read_only, self.actions_.open_account),
        )
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.setObjectName("mainSplitter")
        splitter.addWidget(self.accounts_view)
        splitter.addWidget(self.register_panel)
        splitter.setStretchFactor(0, 2)
        splitter.setStretchFactor(1, 3)
        splitter.setSizes([430, 650])
        central = QWidget()
        layout = QVBoxLayout(central)
        layout.setContentsMargins(6, 6, 6, 0)
        layout.addWidget(self.banner)
        layout.addWidget(splitter, stretch=1)  # the room is the views', not the banner's
        self.setCentralWidget(central)
        self.history_dock = HistoryDock(parts.history, parts.travel, parts.details, self)
        self.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, self.history_dock)
        self.resizeDocks([self.history_dock], [250], Qt.Orientation.Vertical)
        self.timeline = Timeline(parts.travel, parts.caption, history_day(parts.history))
        self.timeline_bar = QToolBar("Timeline")
        self.timeline_bar.setObjectName("timelineBar")
        self.timeline_bar.setMovable(False)
        self.timeline_bar.addWidget(self.timeline)
        self.addToolBar(Qt.ToolBarArea.BottomToolBarArea, self.timeline_bar)
        self.status = BookStatusBar(parts.path)
        if parts.where:  # a shared book: its server address, not the local copy's file
            self.status.path_label.setText(parts.where)
            self.status.path_label.setToolTip(parts.where)
        self.setStatusBar(self.status)
        self.tool_bar = build_tool_bar(self.actions_)
        self.addToolBar(Qt.ToolBarArea.TopToolBarArea, self.tool_bar)
        self.banner_place = BannerPlace(self.banner, layout, self.tool_bar, self)
        add_context_menus(
            self.actions_, self.register_panel.table, self.accounts_view, self.history_dock.table
        )

    def _build_menus(self) -> None:
        toggle_history = self.history_dock.toggleViewAction()
        toggle_history.setText("&History")
        toggle_history.setShortcut(QKeySequence("Ctrl+Shift+H"))
        toggle_timeline = self.timeline_bar.toggleViewAction()
        toggle_timeline.setText("T&imeline Bar")
        toggle_timeline.setShortcut(QKeySequence("Ctrl+Shift+L"))
        toggle_tools = self.tool_bar.toggleViewAction()
        toggle_tools.setText("Tool&bar")
        show_closed = self.accounts_view.show_closed_action
        show_closed.setChecked(self._settings.show_closed_accounts())
        show_closed.toggled.connect(self._settings.set_show_closed_accounts)
        self.hide_voided = QAction("Hide &Voided Entries", self, checkable=True)
        self.hide_voided.setStatusTip("Leave voided entries and their voids out of the register")
        self.hide_voided.toggled.connect(self._on_hide_voided)
        self.hide_voided.setChecked(self._settings.hide_voided())
        self.recent_menu = build_menus(
            self.menuBar(), self.actions_,
            [toggle_history, toggle_timeline, toggle_tools, show_closed, self.hide_voided],
            self.timeline.actions_.all(),
        )  # fmt: skip

    def _connect(self) -> None:
        a, parts = self.actions_, self._parts
        a.new_book.triggered.connect(self.files.new_book)
        a.new_sample.triggered.connect(self.files.new_sample_book)
        a.open_book.triggered.connect(self.files.open_book)
        a.open_shared.triggered.connect(self.files.open_shared_book)
        a.save_copy.triggered.connect(self.files.save_copy)
        a.preferences.triggered.connect(self.files.edit_preferences)
        a.quit.triggered.connect(self._on_quit)
        a.open_account.triggered.connect(self.dialogs.open_account)
        a.deposit.triggered.connect(lambda: self.dialogs.deposit(self._selected_account_id()))
        a.withdraw.triggered.connect(lambda: self.dialogs.withdraw(self._selected_account_id()))
        a.transfer.triggered.connect(lambda: self.dialogs.transfer(self._selected_account_id()))
        a.split.triggered.connect(lambda: self.dialogs.split(self._selected_account_id()))
        a.void.triggered.connect(self._on_void)
        a.correct.triggered.connect(self._on_correct)
        a.rename.triggered.connect(lambda: self.dialogs.rename(self._selected_account_id()))
        a.close_account.triggered.connect(
            lambda: self.dialogs.close_account(self._selected_account_id())
        )
        a.move_account.triggered.connect(
            lambda: self.dialogs.move_account(self._selected_account_id())
        )
        a.about.triggered.connect(lambda: show_about(self))
        self.reports = ReportsWiring(
            self, parts, a, self.accounts_view.select_account, self._on_event_requested,
            lambda text: self.status.showMessage(text, 8000), lambda: self.history_search,
        )  # fmt: skip
        self.diffs = DiffWiring(self, parts, self.history_dock, self.timeline, self.closed)
        self.accounts_view.account_selected.connect(self._on_account_selected)
        parts.accounts.move_requested.connect(self._on_move_requested)
        self.register_panel.entry_selected.connect(self._on_entry_selected)
        self.register_panel.event_requested.connect(self._on_event_requested)
        self.banner.return_requested.connect(parts.travel.return_to_present)
        self.banner.details_requested.connect(self._on_break_details)
        parts.health.broken.connect(self._on_broken)
        parts.travel.present_changed.connect(self._on_present_changed)
        parts.travel.cursor_changed.connect(self._on_cursor_changed)
        parts.travel.head_changed.connect(self.status.set_event_count)
        if self.undo_menu is not None:  # ours or another program's events: the stacks moved
            parts.travel.head_changed.connect(self.undo_menu.refresh)
        parts.controller.command_rejected.connect(self._on_command_rejected)
        parts.controller.events_appended.connect(self._on_events_appended)
        # an account opened or closed: once a sync (per changed row, a timeline step ran it
        # ~60 times on a 1M-event book, 100-500 ms)
        parts.accounts.synced.connect(self._update_editing)
        if parts.link is not None:
            parts.link.reachable_changed.connect(self._on_server_reachable)

    # --- state --------------------------------------------------------------------------------

    @property
    def read_only(self) -> bool:
        """Opened read-only, turned so when its history was found broken, or while a shared
        book's server is out of reach."""
        link = self._parts.link
        offline = link is not None and not link.reachable
        broken = self._parts.health.breakage is not None
        return bool(self._parts.read_only_note) or broken or offline

    @property
    def editable(self) -> bool:
        """Editing is possible at the present of a writable book."""
        return not self.read_only and self._parts.travel.in_present

    def _update_title(self) -> None:
        # the app's name last: Qt on X11 and Windows appends it to a title that does not end so
        note = " (read-only)" if self.read_only else ""
        self.setWindowTitle(f"{self._parts.title or self._parts.path.stem}{note} — Tallybook")

    def _show_standing_note(self) -> None:
        """What the banner says at the present: a broken history first, else any note."""
        breakage, parts = self._parts.health.breakage, self._parts
        self.banner_place.to_layout()
        if breakage is not None:
            self.banner.show_alarm(" ".join(n for n in (breakage.banner_text(), parts.notice) if n))
            return
        link = parts.link.note if parts.link is not None else ""
        note = " ".join(n for n in (link, parts.read_only_note, parts.notice) if n)
        if note:
            self.banner.show_note(note)
        else:
            self.banner.hide()

    def _selected_account_id(self) -> str | None:
        account = self.accounts_view.selected_account()
        return account.account_id if account else None

    def _update_editing(self) -> None:
        parts = self._parts
        entry = self.register_panel.selected_entry()
        update_editing(self.actions_, self.editable, parts.accounts.accounts(), entry,
                       parts.entry_command)  # fmt: skip
        self.accounts_view.set_editable(self.editable)
        if self.undo_menu is not None:
            self.undo_menu.refresh()
        if self.entry_row is not None:
            self.entry_row.update()

    # --- slots -------------------------------------------------------------------------------

    @Slot(object)
    def _on_account_selected(self, account: AccountRow | None) -> None:
        self._parts.register.set_account(account)
        self.register_panel.show_not_opened_yet(self.accounts_view.chosen_but_missing())
        if self.entry_row is not None:
            self.entry_row.set_account(account)

    @Slot(bool)
    def _on_hide_voided(self, hide: bool) -> None:
        self._parts.register.set_hide_voided(hide)
        self._settings.set_hide_voided(hide)

    @Slot(str, str)
    def _on_move_requested(self, account_id: str, new_parent_id: str) -> None:
        if self.editable:  # a drop is refused in the past, but a drag may outlive the present
            self._parts.controller.execute(
                MoveAccount(account_id=account_id, new_parent_id=new_parent_id)
            )

    @Slot(int)
    def _on_event_requested(self, position: int) -> None:
        self.history_dock.show()
        self.history_dock.select_position(position)

    @Slot(object)
    def _on_entry_selected(self, _entry: RegisterRow | None) -> None:
        self._update_editing()

    @Slot(bool)
    def _on_present_changed(self, present: bool) -> None:
        if present:
            self._show_standing_note()
        self._update_editing()

    @Slot(object)
    def _on_broken(self, _breakage: Breakage | None) -> None:
        self._update_title()
        if self._parts.travel.in_present:
            self._show_standing_note()
        self._update_editing()

    @Slot(bool)
    def _on_server_reachable(self, _reachable: bool) -> None:
        self._on_broken(None)  # the same re-check: title, banner, editing

    @Slot()
    def _on_break_details(self) -> None:
        breakage = self._parts.health.breakage
        if breakage is not None:
            QMessageBox.critical(self, "Broken History", breakage.details_text())

    @Slot(int)
    def _on_cursor_changed(self, cursor: int) -> None:
        if not self._parts.travel.in_present:
            when, _kind = self._parts.caption(cursor)
            parts = self._parts
            if not (parts.health.breakage or parts.read_only_note or parts.notice):
                self.banner_place.to_tool_bar()  # no note above the views: nothing moves
            self.banner.show_past(cursor, when, self._parts.travel.day)

    @Slot(object, str)
    def _on_command_rejected(self, _command: object, message: str) -> None:
        self.status.showMessage(f"Not recorded: {message}", 8000)

    @Slot(list)
    def _on_events_appended(self, events: list[StoredEvent]) -> None:
        self.status.showMessage(recorded_text(events, self._parts.history), 6000)

    @Slot()
    def _on_void(self) -> None:
        entry, account = self.register_panel.selected_entry(), self._parts.register.account
        if entry is not None and account is not None:
            self.dialogs.void(entry, account.currency)

    @Slot()
    def _on_correct(self) -> None:
        entry = self.register_panel.selected_entry()
        if entry is not None:
            self.dialogs.correct(entry)

    @Slot()
    def _on_quit(self) -> None:
        from PySide6.QtWidgets import QApplication

        QApplication.closeAllWindows()

    def _reload_views(self) -> None:
        self._parts.accounts.reload()
        self._parts.register.refresh()
        self._parts.history.refresh()

    # --- layout ------------------------------------------------------------------------------

    def closeEvent(self, event: QCloseEvent) -> None:
        self._settings.save_window(self.saveGeometry(), self.saveState())
        self.timeline.pause()
        self.reports.close()
        self.operations.cancel_all()
        self.receipts.cancel()
        if self.imports is not None:
            self.imports.cancel_all()
        super().closeEvent(event)
        self.closed.emit()
