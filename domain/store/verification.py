"""Walking the hash chain, and telling what happened where it breaks."""

from __future__ import annotations

from dataclasses import replace

from domain.model.errors import BrokenHistory, DamagedBook
from domain.store.backend import EventRow, StoreBackend
from domain.store.base import Progress, VerifyReport
from domain.store.chain_scan import chain_rows
from domain.store.rows import chains

_LOOKAHEAD = 64  # rows verify inspects after a broken link to tell what happened


def verify(
    backend: StoreBackend,
    genesis: bytes,
    progress: Progress | None,
    batch_size: int,
    *,
    check_pages: bool = True,
    expect_head: tuple[int, bytes] | None = None,
) -> VerifyReport:
    """Recompute every hash from ``genesis``, compare the hash at a position written down
    earlier (``expect_head``), then (``check_pages``) run the engine's thorough check of the
    stored pages; see :meth:`EventStore.verify`."""
    # the engine's check (C code, off the GIL) runs beside the walk
    thorough = check_pages and bool(backend.page_check_name(True))
    pages = backend.start_page_check(True) if thorough else None
    try:
        report = _walk(backend, genesis, progress, batch_size)
        if expect_head is not None and not report.cancelled:
            report = _check_head(backend, report, *expect_head)
        if report.cancelled or pages is None:
            return report
        total = backend.head_row() if report.ok else None
        done = report.events if total is None else total[0]

        def keep_going() -> bool:
            return progress is None or progress(done, done) is not False

        problems = pages.result(keep_going)
    finally:
        if pages is not None:
            pages.cancel()  # nothing once it has ended; else the walk failed or was cancelled
    if problems is None:
        return replace(report, ok=False, cancelled=True)
    name = backend.page_check_name(True)
    report = replace(report, page_check=name, page_problems=tuple(problems))
    if not problems or not report.ok:
        return report
    more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
    diagnosis = f"{name} found broken pages: {problems[0]}{more}"
    return replace(
        report, ok=False, problem="damaged pages",
        details={"message": diagnosis, "diagnosis": diagnosis},
    )  # fmt: skip


def _check_head(
    backend: StoreBackend, report: VerifyReport, position: int, digest: bytes
) -> VerifyReport:
    """The report, or the head written down that the book no longer has: a forger who
    recomputed the chain from some point on changed every hash after it."""
    if position <= report.events:  # walked: the stored hashes are the recomputed ones
        with backend.errors():
            rows = backend.event_rows(max(position - 2, 0), position, 2)
        if rows[-1][8] == digest:
            return report
        previous = rows[0][8] if len(rows) == 2 else b""
        return _bad(
            position - 1, previous, position, "head differs",
            f"the hash here is {rows[-1][8].hex()}, not the {digest.hex()} written down",
        )  # fmt: skip
    if report.ok:
        return _bad(
            report.events, bytes.fromhex(report.head_hash), position, "head missing",
            f"the book ends at position {report.events}, before the head written down",
        )  # fmt: skip
    return report  # broken before the position written down: that break comes first


def _walk(
    backend: StoreBackend,
    genesis: bytes,
    progress: Progress | None,
    batch_size: int,
    *,
    aside: bool = True,
) -> VerifyReport:
    previous = genesis
    expected = 1
    try:
        with backend.errors():
            head = backend.head_row()
    except DamagedBook as exc:
        return _bad(0, previous, 1, "damaged", str(exc))
    total = 0 if head is None else head[0]
    walked = backend.walk_aside(genesis, total, progress) if aside else None
    if walked is not None:
        expected, previous = _resume(backend, walked[0], genesis)
        if walked[1]:
            return _cancelled(expected - 1, previous)
    while True:
        rows, damage = _batch(backend, expected, total, batch_size)
        start = expected
        expected, previous, chained = chain_rows(rows, previous, expected)
        if not chained:
            row = rows[expected - start]
            if row[0] != expected:
                return _bad(
                    expected - 1, previous, expected, "removed",
                    f"positions {expected} to {row[0] - 1} are missing",
                )  # fmt: skip
            return _diagnose(backend, expected, previous)
        if damage:
            return _bad(expected - 1, previous, expected, "damaged", damage)
        if not rows:
            break
        if progress is not None and progress(expected - 1, total) is False:
            return _cancelled(expected - 1, previous)
    return VerifyReport(
        ok=True, events=expected - 1, head_position=expected - 1, head_hash=previous.hex()
    )


def _resume(backend: StoreBackend, position: int, genesis: bytes) -> tuple[int, bytes]:
    """Where the walk goes on once every event before ``position`` is known to chain
    (walked aside): there, from the hash stored before it; from the start if that cannot
    be read."""
    if position > 1:
        try:
            with backend.errors():
                before = backend.event_rows(position - 2, position - 1, 1)
        except DamagedBook:
            before = []
        if before and before[0][0] == position - 1:
            return position, before[0][8]
    return 1, genesis


def _cancelled(done: int, previous: bytes) -> VerifyReport:
    return VerifyReport(
        ok=False, events=done, head_position=done, head_hash=previous.hex(), cancelled=True
    )


def _batch(backend: StoreBackend, first: int, upto: int, size: int) -> tuple[list[EventRow], str]:
    """Rows from position ``first`` to ``upto``, and the damage message if the backend failed.

    When a batch hits a damaged page, the rows are read one by one so verification names
    the first position that cannot be read.
    """
    errors = backend.errors()
    try:
        with errors:
            return backend.event_rows(first - 1, upto, size), ""
    except DamagedBook:
        pass
    rows: list[EventRow] = []
    position = first - 1
    for _ in range(size):
        try:
            with errors:
                one = backend.event_rows(position, upto, 1)
        except DamagedBook as exc:
            return rows, str(exc)
        if not one:
            break
        rows.append(one[0])
        position = one[0][0]
    return rows, ""


def _bad(done: int, previous: bytes, position: int, problem: str, message: str) -> VerifyReport:
    return VerifyReport(
        ok=False,
        events=done,
        head_position=done,
        head_hash=previous.hex(),
        first_bad_position=position,
        problem=problem,
        details={"message": f"position {position}: {message}", "diagnosis": message},
    )


def _diagnose(backend: StoreBackend, position: int, previous: bytes) -> VerifyReport:
    """Tell what happened at ``position``, the first event whose hash does not chain."""
    with backend.errors():
        rows = backend.event_rows_from(position, _LOOKAHEAD)
    done = position - 1

    def bad(problem: str, message: str) -> VerifyReport:
        return _bad(done, previous, position, problem, message)

    # the event that belongs here sits q places later: moved (swapped) or pushed by inserts
    for q in range(1, len(rows)):
        if rows[q][0] == position + q and chains(previous, rows[q], position):
            before_q = rows[q][8] if q == 1 else rows[q - 1][8]
            if chains(before_q, rows[0], position + q):
                return bad(
                    "reordered",
                    f"the event stored here belongs at {position + q} and the one stored at "
                    f"{position + q} belongs here",
                )
            return bad(
                "inserted",
                f"{_events(q)} inserted here, pushing the original ones back",
            )
    if len(rows) > 1:
        # later events chain from this one's stored hash: its content changed
        if chains(rows[0][8], rows[1], position + 1):
            return bad("altered", "the event's content no longer matches its hash")
        for shift in range(1, _LOOKAHEAD):
            if chains(rows[0][8], rows[1], position + 1 + shift):
                return bad(
                    "removed",
                    f"{_events(shift)} removed here and later ones renumbered",
                )
    if rows:
        inserted = _chained_inserts(backend, rows[0], position)
        if inserted is not None:
            return inserted
    return bad(
        "altered",
        "the stored hash does not follow from the previous event (this event, or the "
        "hash of the one before it, was changed)",
    )


def _events(count: int) -> str:
    """``1 event was`` / ``3 events were``: the start of a finding's sentence."""
    return "1 event was" if count == 1 else f"{count} events were"


def _chained_inserts(backend: StoreBackend, row: EventRow, position: int) -> VerifyReport | None:
    """Events inserted before ``position`` with hashes chained from their predecessor pass
    the walk; the event pushed back to ``position`` still chains from where it was written,
    k places earlier, which names the first inserted one."""
    first = max(position - 1 - _LOOKAHEAD, 0)
    with backend.errors():
        before = backend.event_rows(first, position - 1, _LOOKAHEAD + 1)
    hashes = {r[0]: r[8] for r in before}
    for k in range(1, _LOOKAHEAD):
        start = position - k  # where the pushed event was written, now the first forged one
        previous = hashes.get(start - 1)
        if start < 1 or (previous is None and start > 1):
            return None
        if chains(previous or b"", row, start):
            return _bad(
                start - 1, previous or b"", start, "inserted",
                f"{_events(k)} inserted here, each chained from the one before; the "
                f"event now at {position} was written at {start}",
            )  # fmt: skip
    return None


def locate_break(
    backend: StoreBackend, genesis: bytes, diagnosis: str, position: int | None = None
) -> BrokenHistory:
    """The break behind a read that failed with ``diagnosis`` (at ``position``, if known):
    the whole chain is walked (this only runs once something has gone wrong) so that the
    first broken position is named, which may come before the one that was being read."""
    try:
        walked = _walk(backend, genesis, None, 5000, aside=False).broken()
    except Exception:  # a book too broken to walk: say what the read found
        walked = None
    if walked is not None and (position is None or (walked.position or 0) <= position):
        return walked
    return BrokenHistory(position, diagnosis)
