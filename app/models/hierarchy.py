"""Which accounts may be a parent, as the books' rules say (``domain.model.chart``): an open
account of the same type that is neither the account itself nor below it. Qt-free: the
dialogs' pickers and the accounts tree's drops ask the same question."""

from __future__ import annotations

from collections.abc import Sequence

from app.models.sources import AccountRow
from domain.model.events import AccountType
from domain.projections.rows import PATH_SEPARATOR, account_paths

TOP = "None (at the top)"


def below(accounts: Sequence[AccountRow], account_id: str) -> set[str]:
    """The ids of the accounts under ``account_id``, at any depth."""
    children: dict[str, list[str]] = {}
    for row in accounts:
        children.setdefault(row.parent_id, []).append(row.account_id)
    found: set[str] = set()
    todo = list(children.get(account_id, []))
    while todo:
        child = todo.pop()
        if child not in found:
            found.add(child)
            todo.extend(children.get(child, []))
    return found


def parent_choices(
    accounts: Sequence[AccountRow], kind: AccountType, moving: str | None = None
) -> list[tuple[str, str]]:
    """(account id, path) of the accounts that can be the parent of an account of ``kind``
    (``moving``: the account being moved, if it exists), by path; "" first, for none."""
    paths = account_paths(accounts)
    excluded = set() if moving is None else {moving, *below(accounts, moving)}
    allowed = [
        (a.account_id, PATH_SEPARATOR.join(paths[a.account_id]))
        for a in accounts
        if a.account_type is kind and not a.closed and a.account_id not in excluded
    ]
    return [("", TOP), *sorted(allowed, key=lambda choice: choice[1].casefold())]


def can_move_under(accounts: Sequence[AccountRow], account_id: str, parent_id: str) -> bool:
    """Whether the account may go under ``parent_id`` ("" for the top) and is not there."""
    rows = {a.account_id: a for a in accounts}
    account = rows.get(account_id)
    if account is None or account.parent_id == parent_id:
        return False
    if not parent_id:
        return True
    parent = rows.get(parent_id)
    return (
        parent is not None
        and parent.account_type is account.account_type
        and not parent.closed
        and parent_id != account_id
        and parent_id not in below(accounts, account_id)
    )
