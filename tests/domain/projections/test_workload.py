"""The generated household workload (voids, back-dated entries, a rename, a closed account,
a second currency): read models as of sampled positions equal the fold, paged or whole."""

from __future__ import annotations

import os
from itertools import islice
from pathlib import Path

from projection_book import make_book

from app.sample_data import generate_commands
from domain.projections import FoldedBooks

STRESS = max(1, int(os.environ.get("TALLYBOOK_STRESS", "1")))


def test_generated_books_match_the_fold_as_of_sampled_positions(tmp_path: Path) -> None:
    book = make_book(tmp_path / "workload.tally")
    try:
        commands = list(generate_commands(20, 400 * STRESS, seed=3))
        for start in range(0, len(commands), 50):
            book.service.execute_batch(commands[start : start + 50])
        events = book.events()
        types = {e.type for e in events}
        assert {"EntryVoided", "AccountRenamed", "AccountClosed"} <= types
        models = book.read_models
        folded = FoldedBooks()
        step = max(1, len(events) // (40 * STRESS))
        for p, event in enumerate([None, *events]):
            if event is not None:
                folded.apply(event)
            if p % step and p != len(events):
                continue
            assert models.accounts(p) == folded.accounts(), p
            for account in folded.accounts():
                expected = folded.register(account.account_id)
                assert models.register_count(account.account_id, p) == len(expected)
                assert models.register(account.account_id, p, 0, 10_000) == expected, p
                middle = len(expected) // 2
                page = models.register(account.account_id, p, middle, 7)
                assert page == expected[middle : middle + 7], p
        history = models.history(0, 10_000)
        assert history == folded.history()
        assert [r for page in range(0, len(events), 100) for r in models.history(page, 100)] == (
            history
        )
        assert list(islice(history, 3)) == models.history(0, 3)
    finally:
        book.store.close()
