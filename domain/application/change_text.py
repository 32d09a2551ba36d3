"""What a change was, in a few words: what the Undo menu item and the undo's mark say
("Withdrawal 45.00 EUR from Checking to Groceries", "Rename Checking to Main")."""

from __future__ import annotations

from collections.abc import Callable

from domain.model.events import (
    AccountClosed,
    AccountMoved,
    AccountOpened,
    AccountReconciled,
    AccountRenamed,
    AccountReopened,
    EntryPosted,
    EntryVoided,
    ImportRestored,
    ImportUndone,
    StatementImported,
)
from domain.model.undo import Change
from domain.projections.text import entry_summary

Names = Callable[[str], str]


def change_summary(change: Change, names: Names, locale: str | None = None) -> str:
    """The change's words, by its main event (an import, an opening, … before its entries);
    amounts in the Babel ``locale`` (None: the fixed ``45.00 EUR`` form)."""
    events = change.events
    mark = change.marker
    if mark is not None:
        return mark.summary
    for event in events:
        if isinstance(event, StatementImported):
            return f"Import of {event.file_name} into {names(event.account_id)}"
        if isinstance(event, ImportRestored):
            return f"Redo of the import into {names(event.account_id)}"
        if isinstance(event, ImportUndone):
            return f"Undo of the import into {names(event.account_id)}"
        if isinstance(event, AccountOpened):
            return f"Open Account {event.name}"
        if isinstance(event, AccountReconciled):
            return f"Reconcile {names(event.account_id)} (statement of {event.statement_date})"
        if isinstance(event, AccountRenamed):
            return f"Rename {event.old_name} to {event.new_name}"
        if isinstance(event, AccountMoved):
            parent = names(event.new_parent_id) if event.new_parent_id else "the top"
            return f"Move {names(event.account_id)} to {parent}"
        if isinstance(event, AccountClosed):
            return f"Close {names(event.account_id)}"
        if isinstance(event, AccountReopened):
            return f"Reopen {names(event.account_id)}"
    posted = [e for e in events if isinstance(e, EntryPosted)]
    voided = [e for e in events if isinstance(e, EntryVoided)]
    if posted:
        text = entry_summary(posted[0].kind, posted[0].postings, posted[0].payee, names,
                             locale=locale)  # fmt: skip
        return f"Correction: {text}" if voided else text
    if voided:
        text = entry_summary("entry", voided[0].postings, "", names, locale=locale)
        return f"Void of {text[0].lower()}{text[1:]}"
    return f"Change {change.command_id}"
