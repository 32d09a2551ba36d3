"""Deciding :class:`UndoImport`: an import's entries voided, in one change."""

from __future__ import annotations

from domain.model.accounts import Account, clean_text, require_id
from domain.model.commands import UndoImport, VoidEntry
from domain.model.errors import DomainError, ImportAlreadyUndone, UnknownImport
from domain.model.events import EntryVoided, Event, ImportedRow, ImportUndone, KeptEntry
from domain.model.guards import MAX_TEXT
from domain.model.importing import Load, LoadEntry
from domain.model.imports import Import
from domain.model.reconciliation import Reconciliation


def undo_import(
    command: UndoImport,
    this: Import,
    account: Load,
    entry: LoadEntry,
    reconciled: Reconciliation | None = None,
) -> list[Event]:
    """Void every entry of the import not voided or reconciled (``reconciled``: the
    account's reconciliations) already, each on its own booking date, in one change;
    ImportUndone says which were kept and why."""
    import_id = require_id(command.import_id, "import_id")
    if not this.exists:
        raise UnknownImport(f"there is no import with id {import_id}")
    if this.undone:
        raise ImportAlreadyUndone(f"the import of {this.file_name!r} ({import_id}) was undone")
    reason = clean_text(command.reason, "reason", MAX_TEXT) or f"import {import_id} undone"
    accounts: dict[str, Account] = {}
    events: list[Event] = []
    voided: list[ImportedRow] = []
    kept: list[KeptEntry] = []
    for row in this.rows:
        found = entry(row.entry_id)
        if found.voided:
            kept.append(KeptEntry(row.entry_id, f"already voided on {found.voided_on}"))
            continue
        if row.entry_id in this.replaced:  # voiding it would leave the other side's money gone
            kept.append(
                KeptEntry(
                    row.entry_id,
                    f"the transfer that replaced entry {this.replaced[row.entry_id]} of "
                    "another account's import: correct it by hand",
                )
            )
            continue
        if reconciled is not None and row.entry_id in reconciled.entries:
            day = reconciled.entries[row.entry_id]
            kept.append(KeptEntry(row.entry_id, f"reconciled with the statement of {day}"))
            continue
        for account_id in dict.fromkeys(p.account_id for p in found.postings):
            if account_id not in accounts:
                accounts[account_id] = account(account_id).copy()
        closed = [a.name for a in (accounts[p.account_id] for p in found.postings) if a.closed]
        if closed:
            kept.append(KeptEntry(row.entry_id, f"{closed[0]} is closed"))
            continue
        void = VoidEntry(entry_id=found.id, voided_on=found.booking_date, reason=reason)
        try:
            done = found.void(void, accounts)
        except DomainError as exc:
            raise type(exc)(f"entry {found.id} (line {row.line}): {exc.message}") from exc
        for event in done:
            assert isinstance(event, EntryVoided)
            for touched in dict.fromkeys(p.account_id for p in event.postings):
                accounts[touched].apply(event)
        events.extend(done)
        voided.append(row)
    undone = ImportUndone(
        import_id=import_id,
        account_id=this.account_id,
        reason=reason,
        voided=tuple(voided),
        kept=tuple(kept),
        unlinked=this.linked,  # linked entries were there before: they stay, unlinked
    )
    return [undone, *events]
