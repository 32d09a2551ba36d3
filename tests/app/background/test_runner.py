"""Worker threads: progress, results, failures and cancelling, delivered by signal."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import pytest

from app import maintenance
from app.background import jobs
from app.background.runner import BackgroundTask, Progress, Worker
from domain.model.errors import DamagedBook


def test_a_job_reports_progress_then_its_result_from_another_thread(qtbot: Any) -> None:
    threads: list[threading.Thread] = []

    def job(progress: Progress) -> str:
        threads.append(threading.current_thread())
        for done in range(1, 4):
            progress(done, 3)
        return "done"

    task = BackgroundTask(job, "Test", "Working…")
    seen: list[tuple[int, int]] = []
    task._worker.progress.connect(lambda done, total: seen.append((done, total)))
    with qtbot.waitSignal(task.finished, timeout=5000) as finished:
        task.start()
    assert finished.args == ["done"]
    assert threads[0] is not threading.main_thread()
    assert seen[-1] == (3, 3)


def test_a_failing_job_reports_its_message(qtbot: Any) -> None:
    def job(_progress: Progress) -> None:
        raise ValueError("the book is on fire")

    task = BackgroundTask(job, "Test", "Working…")
    with qtbot.waitSignal(task.failed, timeout=5000) as failed:
        task.start()
    assert failed.args == ["the book is on fire"]


def test_cancel_makes_the_progress_callback_answer_false() -> None:
    answers: list[bool] = []
    worker = Worker(lambda progress: answers.extend([progress(1, 2), progress(2, 2)]))
    worker.cancel()
    worker.run()
    assert answers == [False, False]


def test_a_cancelled_sample_book_leaves_no_file(tmp_path: Path) -> None:
    path = tmp_path / "Sample.tallybook"
    result = jobs.sample_book_job(path, commands=300)(lambda done, total: done < 100)
    assert result is None
    assert not path.exists()


def test_catching_up_a_book_the_store_will_not_write_falls_back_to_reading_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[bool] = []

    def catch_up(path: Path, progress: Progress, **kwargs: bool) -> int:
        calls.append(kwargs["readonly"])
        if not kwargs["readonly"]:
            raise DamagedBook(f"{path.name} is damaged: database disk image is malformed")
        return 7

    monkeypatch.setattr(maintenance, "catch_up", catch_up)
    assert jobs.catch_up_job(tmp_path / "Broken.tallybook")(lambda done, total: True) == 7
    assert calls == [False, True]  # the views are caught up here, not in the GUI thread
    calls.clear()
    monkeypatch.setattr(maintenance, "catch_up", lambda *_a, **_k: catch_up(*_a, readonly=False))
    with pytest.raises(DamagedBook):  # opened read-only already: nothing to fall back to
        jobs.catch_up_job(tmp_path / "Broken.tallybook", read_only=True)(lambda d, t: True)
    assert calls == [False]
