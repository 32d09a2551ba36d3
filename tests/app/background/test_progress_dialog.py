"""The progress dialog of a long job is wide enough to read its title."""

from __future__ import annotations

import threading
from typing import Any

from PySide6.QtWidgets import QProgressDialog, QWidget

from app.background.runner import BackgroundTask, Progress


def test_the_progress_dialog_title_is_not_cut(qtbot: Any) -> None:
    parent = QWidget()
    qtbot.addWidget(parent)
    parent.show()
    release = threading.Event()

    def job(progress: Progress) -> None:
        while not release.wait(0.01):
            progress(1, 10)

    title = "Opening Book"
    task = BackgroundTask(job, title, "Opening Test Books.tallybook…", parent)
    with qtbot.waitSignal(task.done, timeout=10_000):
        task.start()
        dialogs = parent.findChildren(QProgressDialog)
        assert len(dialogs) == 1
        dialog = dialogs[0]
        qtbot.waitUntil(dialog.isVisible)
        # a window manager's title bar takes close, maximise and the icon (~150 px) beside
        # the title, in a bold font about 1.3 times the dialog's
        room = dialog.fontMetrics().horizontalAdvance(title) * 13 // 10 + 150
        assert dialog.width() >= max(room, 360)
        assert dialog.windowTitle() == title
        release.set()
