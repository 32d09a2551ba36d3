"""The main window's actions, menus and toolbar, with platform-standard shortcuts."""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QAction, QIcon, QKeySequence, QPainter, QPixmap
from PySide6.QtWidgets import QAbstractItemView, QMenu, QMenuBar, QStyle, QToolBar, QWidget

SP = QStyle.StandardPixmap
REPORTS = (("balance-sheet", "&Balance Sheet…"), ("income-statement", "&Income Statement…"),
           ("spending", "&Spending by Category…"), ("cash-flow", "&Cash Flow…"),
           ("net-worth", "&Net Worth…"))  # fmt: skip
Key = QKeySequence.StandardKey


class Actions:
    """Every menu command of the main window; ``editing`` are those that change the books."""

    def __init__(self, parent: QWidget) -> None:
        self._parent = parent
        # File
        self.new_book = self._make("&New Book…", Key.New, SP.SP_FileIcon)
        self.new_sample = self._make("New &Sample Book…", None, SP.SP_FileDialogDetailedView)
        self.open_book = self._make("&Open…", Key.Open, SP.SP_DialogOpenButton)
        self.open_shared = self._make("Open S&hared Book…", "Ctrl+Shift+O", SP.SP_DriveNetIcon)
        self.save_copy = self._make("Save a &Copy…", Key.SaveAs, SP.SP_DialogSaveButton)
        self.import_statement = self._make("&Import Statement…", "Ctrl+I", SP.SP_ArrowDown)
        self.verify = self._make("&Verify Integrity", "Ctrl+Shift+V", SP.SP_DialogApplyButton)
        self.verify_receipt = self._make("Verify &Against a Receipt…", None, None)
        self.rebuild = self._make("Re&build Views", None, SP.SP_BrowserReload)
        self.quit = self._make("&Quit", Key.Quit, SP.SP_DialogCloseButton)
        # Edit: the undo texts and states are kept by app.window.undo_menu
        self.undo = self._make("&Undo", Key.Undo, None)
        self.redo = self._make("&Redo", Key.Redo, None)
        self.preferences = self._make("&Preferences…", Key.Preferences, None)
        self.preferences.setMenuRole(QAction.MenuRole.PreferencesRole)
        # Entry
        self.open_account = self._make("&Open Account…", "Ctrl+Shift+N", SP.SP_FileDialogNewFolder)
        self.deposit = self._make("&Deposit…", "Ctrl+D", SP.SP_ArrowDown)
        self.withdraw = self._make("&Withdraw…", "Ctrl+E", SP.SP_ArrowUp)
        self.transfer = self._make("&Transfer…", "Ctrl+T", SP.SP_ArrowRight)
        self.split = self._make("&Split Entry…", "Ctrl+Shift+E", SP.SP_FileDialogListView)
        self.void = self._make("&Void Entry…", Key.Delete, SP.SP_DialogDiscardButton)
        self.correct = self._make("&Correct Entry…", "Ctrl+Shift+C", SP.SP_DialogResetButton)
        self.rename = self._make("&Rename Account…", "F2", None)
        self.move_account = self._make("&Move Account…", None, None)
        self.close_account = self._make("C&lose Account…", None, SP.SP_DialogNoButton)
        self.undo_import = self._make("&Undo Import…", None, SP.SP_DialogCancelButton)
        self.reconcile = self._make("Reco&ncile Account…", "Ctrl+R", SP.SP_DialogYesButton)
        # Reports: one window, one item per kind (the kinds of domain.projections.reports)
        self.reports = {
            kind: self._make(text, f"Ctrl+{number}", None)
            for number, (kind, text) in enumerate(REPORTS, start=1)
        }
        self.export_journal = self._make("Export &hledger Journal…", None, None)
        # Help
        self.about = self._make("&About Tallybook", None, SP.SP_MessageBoxInformation)
        self.about.setMenuRole(QAction.MenuRole.AboutRole)
        self.quit.setMenuRole(QAction.MenuRole.QuitRole)

    @property
    def editing(self) -> list[QAction]:
        """The actions that append events (disabled in the past and on read-only books)."""
        return [self.open_account, self.deposit, self.withdraw, self.transfer, self.split,
                self.void, self.correct, self.rename, self.move_account, self.close_account,
                self.import_statement, self.undo_import, self.reconcile]  # fmt: skip

    def _make(
        self,
        text: str,
        shortcut: QKeySequence.StandardKey | str | None,
        icon: QStyle.StandardPixmap | None,
    ) -> QAction:
        action = QAction(text, self._parent)
        if icon is not None:
            action.setIcon(faded_when_disabled(self._parent.style().standardIcon(icon)))
        if isinstance(shortcut, QKeySequence.StandardKey):
            action.setShortcuts(shortcut)
        elif shortcut:
            action.setShortcut(QKeySequence(shortcut))
        return action


def build_menus(
    bar: QMenuBar,
    actions: Actions,
    view_actions: list[QAction],
    timeline_actions: list[QAction],
) -> QMenu:
    """Fill the menu bar; returns the (empty) Open Recent menu for the caller to fill."""
    file = bar.addMenu("&File")
    file.addActions([actions.new_book, actions.new_sample, actions.open_book, actions.open_shared])
    recent = file.addMenu("Open &Recent")
    recent.setObjectName("recentMenu")
    file.addAction(actions.save_copy)
    file.addSeparator()
    file.addAction(actions.import_statement)
    file.addSeparator()
    file.addActions([actions.verify, actions.verify_receipt, actions.rebuild])
    file.addSeparator()
    file.addAction(actions.quit)
    edit = bar.addMenu("&Edit")
    edit.addActions([actions.undo, actions.redo])
    edit.setToolTipsVisible(True)  # a refused undo says why
    edit.addSeparator()
    edit.addAction(actions.preferences)
    entry = bar.addMenu("E&ntry")  # Alt+E is Edit's
    entry.addAction(actions.open_account)
    entry.addSeparator()
    entry.addActions([actions.deposit, actions.withdraw, actions.transfer, actions.split])
    entry.addSeparator()
    entry.addActions([actions.void, actions.correct, actions.undo_import])
    entry.addSeparator()
    entry.addActions([actions.rename, actions.move_account, actions.close_account])
    entry.addSeparator()
    entry.addAction(actions.reconcile)
    reports = bar.addMenu("&Reports")
    reports.addActions(list(actions.reports.values()))
    reports.addSeparator()
    reports.addAction(actions.export_journal)
    view = bar.addMenu("&View")
    view.addActions(view_actions)
    view.addSeparator()
    go = view.addMenu("&Timeline")
    go.addActions(timeline_actions)
    help_menu = bar.addMenu("&Help")
    help_menu.addAction(actions.about)
    return recent


def build_tool_bar(actions: Actions) -> QToolBar:
    """The main toolbar: open an account, the entries, void and correct, verify."""
    a = actions
    bar = QToolBar("Main Toolbar")
    bar.setObjectName("mainToolBar")
    bar.setMovable(False)
    bar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
    bar.addActions([a.open_account])
    bar.addSeparator()
    bar.addActions([a.deposit, a.withdraw, a.transfer, a.split])
    bar.addSeparator()
    bar.addActions([a.void, a.correct])
    bar.addSeparator()
    bar.addActions([a.verify])
    return bar


def add_context_menus(
    actions: Actions, register: QAbstractItemView, accounts: QAbstractItemView, history: QWidget
) -> None:
    """Right-click on an entry or an account offers what can be done to it (the history's
    own items are added by the history's wiring)."""
    a = actions
    register.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
    register.addActions([a.correct, a.void])  # (Edit in Entry Row: entry_wiring)
    separator = QAction(accounts)
    separator.setSeparator(True)
    accounts.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
    history.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
    accounts.addActions([a.deposit, a.withdraw, a.transfer, a.split, separator, a.rename,
                         a.move_account, a.close_account])  # fmt: skip


def faded_when_disabled(icon: QIcon) -> QIcon:
    """``icon`` with its disabled look made by fading it: Qt greys a disabled icon by its
    colours, which leaves the style's black arrows and grid as black as when enabled."""
    faded_icon = QIcon()
    for size in _ICON_SIZES:
        normal = icon.pixmap(QSize(size, size))
        if normal.isNull():
            continue
        faded = QPixmap(normal.size())
        faded.setDevicePixelRatio(normal.devicePixelRatio())
        faded.fill(Qt.GlobalColor.transparent)
        painter = QPainter(faded)
        painter.setOpacity(0.35)
        painter.drawPixmap(0, 0, normal)
        painter.end()
        faded_icon.addPixmap(normal, QIcon.Mode.Normal)
        faded_icon.addPixmap(faded, QIcon.Mode.Disabled)
    return faded_icon


_ICON_SIZES = (16, 22, 24, 32, 48)
