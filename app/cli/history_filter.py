"""``history``'s filters from its arguments; what they keep is the domain's
(``domain.projections.history_filter``: one meaning for the CLI and the desktop history)."""

from __future__ import annotations

import argparse

from domain.projections.history_filter import HistoryFilter


def filter_from_args(args: argparse.Namespace, account_id: str | None) -> HistoryFilter:
    """The filter ``history``'s options ask for (``account_id``: --account, found)."""
    return HistoryFilter(
        search=args.search.casefold() if args.search else None,
        types=frozenset([args.type]) if args.type else None,
        account_ids=None if account_id is None else frozenset([account_id]),
        from_date=args.from_date,
        to_date=args.to_date,
        recorded_from=args.recorded_from,
        recorded_to=args.recorded_to,
    )
