"""Domain errors: each names the rule that was broken and the values involved."""

from __future__ import annotations


class DomainError(Exception):
    """A command broke a bookkeeping rule; nothing was appended."""

    rule: str = "domain rule"

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class InvalidAmount(DomainError):
    rule = "amount must be exact and fit the currency"


class BalanceOutOfRange(DomainError):
    rule = "a balance stays within what the book can hold (10^18 minor units)"


class UnknownCurrency(DomainError):
    rule = "currency must be an ISO 4217 code"


class InvalidCommand(DomainError):
    rule = "command fields must be well formed"


class DuplicateAccountName(DomainError):
    rule = "account names are unique"


class UnknownAccount(DomainError):
    rule = "account must exist"


class AccountClosedError(DomainError):
    rule = "a closed account takes no new entries"


class AccountNotEmpty(DomainError):
    rule = "an account closes only at zero balance"


class OutsideOpenPeriod(DomainError):
    rule = "an account takes entries only from its opening date until it is closed"


class WrongAccountType(DomainError):
    rule = "the command needs an account of another type"


class ParentCycle(DomainError):
    rule = "an account cannot sit under itself or under an account below it"


class CurrencyMismatch(DomainError):
    rule = "postings must match their account's currency"


class UnbalancedEntry(DomainError):
    rule = "an entry's postings balance per currency"


class InsufficientFunds(DomainError):
    rule = "an account that forbids overdraft cannot go below zero"


class NoOpeningBalancesAccount(DomainError):
    rule = "an opening balance is posted against the Opening Balances equity account"


class UnknownEntry(DomainError):
    rule = "entry must exist"


class EntryAlreadyVoided(DomainError):
    rule = "an entry is voided at most once"


class CommandIdReused(DomainError):
    rule = "a command id names one command; sending it again repeats that command"


class UnknownImport(DomainError):
    rule = "an import must exist to be undone"


class ImportAlreadyUndone(DomainError):
    rule = "an import is undone at most once"


class ReconciliationMismatch(DomainError):
    rule = "a reconciliation's cleared entries add up to the statement's balance"


class UndoRefused(DomainError):
    """An undo or redo the books cannot do as asked (another author's change came since,
    nothing to take back, …); the message says why."""

    rule = "undo takes back only what this author and program did, and nothing since"


class StoreError(Exception):
    """The event store refused an operation (not a bookkeeping rule)."""


class ConcurrencyError(StoreError):
    """A stream's version was not the expected one; nothing was written."""


class DiskError(StoreError):
    """The disk refused to write or read (full, read-only, failing). The transaction was
    rolled back; a command may be sent again with its command id once the disk works again.
    (When the book's part committed and only its read-model cache failed, the service finds
    the events stored and acknowledges them instead: ``domain.application.commit_check``.)"""


class BookError(StoreError):
    """The file cannot be used as a book; it was left untouched."""


class NotABook(BookError):
    """The file is not a Tallybook book."""


class DamagedBook(BookError):
    """The file is a damaged SQLite database."""


class NewerFormat(BookError):
    """The book was written by a newer Tallybook."""


class BrokenHistory(BookError):
    """The book's history is known to be broken at ``position`` (a page that cannot be read,
    an event that does not chain, events missing or out of place): the book takes no new
    events until it is restored from a good copy. Nothing was written."""

    def __init__(self, position: int | None, diagnosis: str) -> None:
        # None: every event reads and chains, but the engine found pages broken elsewhere
        where = "" if position is None else f" at position {position}"
        super().__init__(f"the book's history is broken{where}: {diagnosis}")
        self.position = position
        self.diagnosis = diagnosis
