"""Which editing commands apply now, and why not: a command is offered only where it can act.

A command that would open an empty list (Deposit in a book without accounts) or fail after OK
(Void of an entry of a closed account) is disabled, its status tip saying why.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtGui import QAction

from app.models.sources import AccountRow, RegisterRow
from app.window.actions import Actions
from domain.model.entries import EntryCommand, account_ids
from domain.model.errors import DomainError, StoreError
from domain.model.events import AccountType

NO_ENTRY = "Select an entry in the register first."
VOIDED = "This entry is voided already (or is the reversal of one)."
CLOSED = "This entry touches a closed account: closed accounts take no more changes."
NO_ASSET = "Open an asset account first (Entry ▸ Open Account)."
NO_PAIR = "Transfer needs two open accounts in one currency (Entry ▸ Open Account)."
NO_TWO = "A split needs two open accounts (Entry ▸ Open Account)."
NO_ACCOUNT = "Open an account first (Entry ▸ Open Account)."
NO_OPEN = "There is no open account to close."


def account_blocks(accounts: Sequence[AccountRow]) -> dict[str, str]:
    """Action name -> why it cannot act on these accounts ("": it can)."""
    open_ = [a for a in accounts if not a.closed]
    currencies = [a.currency for a in open_]
    blocks = {
        "deposit": "" if any(a.account_type is AccountType.ASSET for a in open_) else NO_ASSET,
        "transfer": "" if len(set(currencies)) < len(currencies) else NO_PAIR,
        "split": "" if len(open_) >= 2 else NO_TWO,
        "rename": "" if accounts else NO_ACCOUNT,
        "move_account": "" if open_ else NO_ACCOUNT,
        "close_account": "" if open_ else NO_OPEN,
        "reconcile": "" if open_ else NO_ACCOUNT,
        # a statement goes into an open account; an import to undo needs one to have been
        "import_statement": "" if open_ else NO_ACCOUNT,
        "undo_import": "" if accounts else NO_ACCOUNT,
    }
    blocks["withdraw"] = blocks["deposit"]
    return blocks


def entry_block(
    entry: RegisterRow | None,
    accounts: Sequence[AccountRow],
    entry_command: Callable[[str], EntryCommand],
) -> str:
    """Why Void and Correct cannot act on ``entry`` ("" when they can)."""
    if entry is None:
        return NO_ENTRY
    if entry.struck_out or entry.is_void:
        return VOIDED
    closed = {a.account_id for a in accounts if a.closed}
    if not closed:
        return ""  # most books: no need to load the entry
    try:
        touched = account_ids(entry_command(entry.entry_id))
    except (DomainError, StoreError):  # not known, or unreadable: the dialog will say so
        return ""
    return CLOSED if closed.intersection(touched) else ""


def update_editing(
    actions: Actions,
    editable: bool,
    accounts: Sequence[AccountRow],
    entry: RegisterRow | None,
    entry_command: Callable[[str], EntryCommand],
) -> None:
    """Enable what can act now; in the past or on a read-only book nothing edits."""
    for action in actions.editing:
        action.setEnabled(editable)
    if not editable:
        return
    blocks = account_blocks(accounts)
    for name, why in blocks.items():
        _block(getattr(actions, name), why)
    why = entry_block(entry, accounts, entry_command)
    for action in (actions.void, actions.correct):
        _block(action, why)


def _block(action: QAction, why: str) -> None:
    action.setEnabled(not why)
    action.setStatusTip(why)
    # a disabled toolbar button still shows its tooltip; "" gives back the default (the text)
    action.setToolTip(f"{action.text().replace('&', '').rstrip('…')}: {why}" if why else "")
