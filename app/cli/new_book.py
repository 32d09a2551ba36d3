"""``tallybook-cli new``: start a new book from a chart of accounts (see app.book_templates)."""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from decimal import Decimal, InvalidOperation

from app.book_templates import template_commands, template_named
from app.cli.book_files import open_book
from app.cli.output import complain, emit, error_json
from domain.model.errors import BookError, DomainError, StoreError
from domain.model.money import check_currency


def cmd_new(args: argparse.Namespace) -> int:
    # check the arguments before the book file is created
    try:
        check_currency(args.currency)
        template = template_named(args.template)
        balances = dict(_balance(text) for text in args.balance)
        commands = template_commands(
            template, args.currency, args.date or dt.date.today(), balances
        )
    except (ValueError, DomainError) as exc:
        complain(exc.message if isinstance(exc, DomainError) else str(exc))
        return 1
    book = open_book(args.book, create=True)
    try:
        head = book.store.head()[0]
        if head:
            complain(f"{args.book} already has {head} events; new writes a new book")
            return 1
        try:
            book.service.execute_batch(list(commands))  # all the accounts, or none
        except (DomainError, StoreError) as exc:
            if isinstance(exc, BookError):
                raise
            emit(sys.stdout, error_json(exc))
            return 1
        book.catch_up()
        emit(sys.stdout, {"ok": True, "template": template.key,
                          "accounts": len(book.read_models.accounts()),
                          "events": book.store.head()[0]})  # fmt: skip
        return 0
    finally:
        book.close()


def _balance(text: str) -> tuple[str, Decimal]:
    """``NAME=AMOUNT`` (a plain decimal, the point as decimal mark) as a pair."""
    name, sep, amount = text.rpartition("=")
    try:
        if not sep or not name.strip():
            raise InvalidOperation
        value = Decimal(amount.strip())
        if not value.is_finite():
            raise InvalidOperation
    except InvalidOperation:
        raise ValueError(
            f"--balance takes NAME=AMOUNT, such as Checking=1234.56; got {text!r}"
        ) from None
    return name.strip(), value
