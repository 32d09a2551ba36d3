"""A deterministic, realistic workload: a household's books over the years.

``generate_commands(accounts, commands, seed)`` yields the commands that open ``accounts``
accounts (every account type, one main currency and, from 15 accounts on, a USD wallet) and then
exactly ``commands`` more: monthly salaries (some as splits with tax), rent, groceries, card
purchases and the card paid off, cash, savings and interest, an owner contribution now and then,
voids, back-dated entries, a rename and a closed account. Each category is spent on at its own
payees; the net salary is a household's (about 3,200 a month, the rent 30 % of it) unless more
commands a month spend more. The last booking date is ``end`` (a fixed day unless given; the
app's sample ends today). The same arguments always yield the same commands, ids and booking
dates, so two books built from one seed have the same balances. The generator tracks balances
and never yields a command the rules would refuse (no overdraft on accounts that forbid it, on
any day; nothing on closed accounts, nothing before an account's opening date, no double
voids): an entry that, back-dated, would leave such an account below zero on a day between its
date and today is booked today instead.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterator, Sequence
from decimal import Decimal

from app.sample_chart import (
    GeneratedAccount,
    generated_chart,
    seeded_id,
    spending,
)
from domain.model.commands import (
    CloseAccount,
    Command,
    Deposit,
    OpenAccount,
    PostSplitEntry,
    RenameAccount,
    SplitLine,
    Transfer,
    VoidEntry,
    Withdraw,
)
from domain.model.money import minor_digits

# what is bought by card or paid from Checking, the most frequent first (taxes are withheld
# from the salary, not bought)
_MISC: tuple[str, ...] = ("transport", "household", "health", "utilities")
# the CLI's books end here whatever the day they are made: the same seed, the same book
ANCHOR = dt.date(2025, 12, 31)


def generate_commands(
    accounts: int,
    commands: int,
    seed: int,
    currency: str = "EUR",
    *,
    end: dt.date = ANCHOR,
    days: int | None = None,
) -> Iterator[Command]:
    """Yield the opening of ``accounts`` accounts, then exactly ``commands`` commands, booked
    over ``days`` days (by default about five commands a day, two months to fifteen years)
    up to ``end``."""
    if commands < 0:
        raise ValueError(f"commands must be >= 0, not {commands}")
    if days is not None and days < 1:
        raise ValueError(f"days must be >= 1, not {days}")
    chart = generated_chart(accounts, seed, currency)
    return _Workload(chart, commands, seed, end, days).run()


def to_decimal(minor: int, currency: str) -> Decimal:
    """Minor units as an exact Decimal in major units."""
    return Decimal(minor).scaleb(-minor_digits(currency))


class _Workload:
    """The state of one generation run: balances, recent entries and the calendar."""

    def __init__(
        self,
        chart: Sequence[GeneratedAccount],
        commands: int,
        seed: int,
        end: dt.date,
        days: int | None,
    ) -> None:
        self.rng = random.Random(seed)
        self._ids = random.Random(f"tallybook-ids:{seed}")
        self._next_id = len(chart)  # the chart's accounts took the first ones
        self.chart = {a.key: a for a in chart}
        self.types = {a.account_id: a.account_type for a in chart}
        self.no_overdraft = {a.account_id for a in chart if not a.overdraft_allowed}
        self.balance = {a.account_id: a.opening_minor for a in chart}  # natural sign
        # about five commands a day, over two months to fifteen years, unless told
        self.span = days or max(60, min(commands // 5, 15 * 365))
        # the last command's day is the end: the day of command i is start + i * span // total
        self.start = end - dt.timedelta(days=max(commands - 1, 0) * self.span // max(commands, 1))
        self.today = self.start
        # what each account that forbids overdraft moved by, by day (natural sign)
        self.moves = {a: {self.start: self.balance[a]} for a in self.no_overdraft}
        self.closed: set[str] = set()
        self.recent: list[tuple[str, tuple[tuple[str, int], ...]]] = []
        self.total = commands
        self.emitted = 0
        per_month = max(1.0, commands / self.span * 30.4)
        # the net salary: a household's, unless the month's commands spend more (about 30.00
        # a command net of side income, out of the 55 % left after rent and saving), so
        # Checking stays solvent
        self.salary = max(320_000, int(per_month * 6_500))
        misc = [k for k in _MISC if k in self.chart]
        misc += [a.key for a in chart if a.key.startswith("extra")]
        self.misc = misc or ["groceries"]
        # a long tail: category k is picked with weight 0.8^k, so counts span magnitudes
        self.misc_weights = [0.8**k for k in range(len(self.misc))]

    # ids -----------------------------------------------------------------
    def new_id(self) -> str:
        self._next_id += 1
        return seeded_id(self._next_id - 1, self._ids)

    def acc(self, key: str) -> str:
        return self.chart[key].account_id

    def has(self, key: str) -> bool:
        return key in self.chart and self.chart[key].account_id not in self.closed

    # the run ---------------------------------------------------------------
    def run(self) -> Iterator[Command]:
        for a in self.chart.values():
            yield OpenAccount(
                command_id=self.new_id(),
                account_id=a.account_id,
                name=a.name,
                account_type=a.account_type,
                currency=a.currency,
                opening_balance=to_decimal(a.opening_minor, a.currency),
                opening_date=self.start,
                overdraft_allowed=a.overdraft_allowed,
                opening_entry_id=self.new_id(),
                opening_balances_account_id=self.new_id(),
            )
        month = (self.start.year, self.start.month)
        pending: list[Command] = []
        renamed = closed = False
        while self.emitted < self.total:
            self.today = self.start + dt.timedelta(days=self.emitted * self.span // self.total)
            if (self.today.year, self.today.month) != month:
                month = (self.today.year, self.today.month)
                pending.extend(self.monthly())
            if not renamed and self.emitted >= self.total // 2 and self.has("dining"):
                renamed = True
                pending.append(
                    RenameAccount(
                        command_id=self.new_id(),
                        account_id=self.acc("dining"),
                        new_name="Restaurants",
                    )
                )
            if not closed and self.emitted >= self.total * 4 // 5 and self.has("holiday"):
                closed = True
                pending.extend(self.close_holiday_fund())
            command = pending.pop(0) if pending else self.random_command()
            self.emitted += 1
            yield command

    def monthly(self) -> list[Command]:
        out: list[Command] = [self.salary_entry()]
        rent = self.salary * 3 // 10
        if self.has("rent") and self.balance[self.acc("checking")] >= rent:
            out.append(self.withdraw("checking", "rent", rent, "Landlord", "monthly rent"))
        pay = min(self.balance[self.acc("card")], self.balance[self.acc("checking")])
        if pay > 0:
            out.append(self.transfer("checking", "card", pay, "Card Bank", "card payoff"))
        spare = self.salary // 10
        if self.balance[self.acc("checking")] >= spare * 3:
            out.append(self.transfer("checking", "savings", spare, "", "savings plan"))
        savings = self.balance[self.acc("savings")]
        if self.has("interest") and savings > 0:
            amount = max(1, savings // 1000)
            out.append(self.deposit("savings", "interest", amount, "Bank", "interest"))
        if self.has("holiday") and self.balance[self.acc("checking")] >= spare * 3:
            out.append(self.transfer("checking", "holiday", spare // 2, "", "holiday saving"))
        return out

    def salary_entry(self) -> Command:
        net = self.salary + self.rng.randrange(0, self.salary // 20)
        if self.has("taxes") and self.rng.random() < 0.5:
            tax = net // 3  # a quarter of the gross
            lines = (
                (self.acc("checking"), net),
                (self.acc("taxes"), tax),
                (self.acc("salary"), -(net + tax)),
            )
            return self.split(lines, "Employer GmbH", "salary with withholding tax")
        return self.deposit("checking", "salary", net, "Employer GmbH", "salary")

    def close_holiday_fund(self) -> list[Command]:
        out: list[Command] = []
        left = self.balance[self.acc("holiday")]
        if left > 0:
            out.append(self.transfer("holiday", "checking", left, "", "holiday fund dissolved"))
        self.closed.add(self.acc("holiday"))
        out.append(
            CloseAccount(
                command_id=self.new_id(), account_id=self.acc("holiday"), closed_on=self.today
            )
        )
        return out

    def random_command(self) -> Command:
        while True:
            r = self.rng.random()
            checking = self.balance[self.acc("checking")]
            if r < 0.30:
                amount = self.amount("groceries")
                if checking >= amount:
                    return self.withdraw("checking", "groceries", amount, self.payee("groceries"))
            elif r < 0.50:
                key = self.rng.choices(self.misc, self.misc_weights)[0]
                amount = self.amount(key)
                lines = ((self.acc(key), amount), (self.acc("card"), -amount))
                return self.split(lines, self.payee(key), "card purchase")
            elif r < 0.65:
                key = self.rng.choices(self.misc, self.misc_weights)[0]
                amount = self.amount(key)
                if checking >= amount:
                    return self.withdraw("checking", key, amount, self.payee(key))
            elif r < 0.75:
                cash = self.balance[self.acc("cash")]
                if cash < 5_000 and checking >= 20_000:
                    return self.transfer("checking", "cash", 20_000, "ATM", "cash withdrawal")
                target = "dining" if self.has("dining") else "groceries"
                amount = self.amount(target)
                if cash >= amount:
                    return self.withdraw("cash", target, amount, self.payee(target))
            elif r < 0.79 and self.has("usd_cash") and self.has("travel_usd"):
                amount = self.rng.randrange(300, 8_000)
                if self.balance[self.acc("usd_cash")] >= amount:
                    return self.withdraw("usd_cash", "travel_usd", amount, "Diner, NYC")
            elif r < 0.81 and self.has("freelance"):
                amount = self.rng.randrange(5_000, 60_000)
                return self.deposit("checking", "freelance", amount, "Client Ltd", "invoice")
            elif r < 0.82:
                amount = self.rng.randrange(5_000, 30_000)
                lines = ((self.acc("checking"), amount), (self.acc("equity"), -amount))
                return self.split(lines, "Owner", "owner contribution")
            elif r < 0.85:
                void = self.void()
                if void is not None:
                    return void
            elif r < 0.87:
                if checking >= 80_000:
                    return self.transfer("checking", "savings", 20_000, "", "put aside")
            else:
                amount = self.rng.randrange(300, 6_000)  # a top-up shop
                if checking >= amount:
                    return self.withdraw("checking", "groceries", amount, self.payee("groceries"))

    def payee(self, key: str) -> str:
        return self.rng.choice(spending(self.chart[key]).payees)

    def amount(self, key: str) -> int:
        """An amount spent at once on category ``key``, in minor units."""
        where = spending(self.chart[key])
        return self.rng.randrange(where.least, where.most)

    def booking_date(self) -> dt.date:
        # about one entry in thirty is entered late: booked up to 90 days in the past
        if self.rng.random() < 1 / 30:
            back = self.today - dt.timedelta(days=self.rng.randrange(1, 91))
            return max(back, self.start)
        return self.today

    # entries, with balance tracking -------------------------------------------
    def book(self, entry_id: str, postings: tuple[tuple[str, int], ...]) -> dt.date:
        """Track an entry's postings; its booking date."""
        for account_id, debit in postings:
            self.balance[account_id] += self.types[account_id].sign * debit
        # keep a bounded pool of recent entries to void; replace at random once it is full
        if len(self.recent) < 2000:
            self.recent.append((entry_id, postings))
        else:
            self.recent[self.rng.randrange(len(self.recent))] = (entry_id, postings)
        return self.dated(postings)

    def dated(self, postings: tuple[tuple[str, int], ...]) -> dt.date:
        """The booking date of postings just booked: now and then back-dated, unless that
        would leave an account that forbids overdraft below zero on a day from then to today
        (then today: every entry so far is dated today or earlier, so the balance today is the
        balance from today on, which the callers checked)."""
        day = self.booking_date()
        natural = [(a, self.types[a].sign * debit) for a, debit in postings if a in self.moves]
        if day < self.today and any(self.short(a, m, day) for a, m in natural if m < 0):
            day = self.today
        for account_id, minor in natural:
            moves = self.moves[account_id]
            moves[day] = moves.get(day, 0) + minor
        return day

    def short(self, account_id: str, change: int, day: dt.date) -> bool:
        """Whether ``change`` (already in the balance) on ``day`` leaves some day from then to
        today below zero: the days' balances, walked back from today's."""
        moves = self.moves[account_id]
        before = self.balance[account_id] - change  # at the end of today, and of every day on
        on = self.today
        while on >= day:
            if before + change < 0:
                return True
            before -= moves.get(on, 0)
            on -= dt.timedelta(days=1)
        return False

    def deposit(self, asset: str, income: str, minor: int, payee: str, memo: str = "") -> Command:
        a, i = self.acc(asset), self.acc(income)
        entry_id = self.new_id()
        day = self.book(entry_id, ((a, minor), (i, -minor)))
        cur = self.chart[asset].currency
        return Deposit(
            command_id=self.new_id(),
            entry_id=entry_id,
            account_id=a,
            income_account_id=i,
            amount=to_decimal(minor, cur),
            booking_date=day,
            payee=payee,
            memo=memo,
        )

    def withdraw(self, asset: str, expense: str, minor: int, payee: str, memo: str = "") -> Command:
        a, x = self.acc(asset), self.acc(expense)
        entry_id = self.new_id()
        day = self.book(entry_id, ((a, -minor), (x, minor)))
        cur = self.chart[asset].currency
        return Withdraw(
            command_id=self.new_id(),
            entry_id=entry_id,
            account_id=a,
            expense_account_id=x,
            amount=to_decimal(minor, cur),
            booking_date=day,
            payee=payee,
            memo=memo,
        )

    def transfer(self, src: str, dst: str, minor: int, payee: str, memo: str = "") -> Command:
        f, t = self.acc(src), self.acc(dst)
        entry_id = self.new_id()
        day = self.book(entry_id, ((f, -minor), (t, minor)))
        cur = self.chart[src].currency
        return Transfer(
            command_id=self.new_id(),
            entry_id=entry_id,
            from_account_id=f,
            to_account_id=t,
            amount=to_decimal(minor, cur),
            booking_date=day,
            payee=payee,
            memo=memo,
        )

    def split(self, lines: tuple[tuple[str, int], ...], payee: str, memo: str) -> Command:
        entry_id = self.new_id()
        day = self.book(entry_id, lines)
        cur = self.chart["checking"].currency
        return PostSplitEntry(
            command_id=self.new_id(),
            entry_id=entry_id,
            booking_date=day,
            lines=tuple(SplitLine(account_id=a, amount=to_decimal(m, cur)) for a, m in lines),
            payee=payee,
            memo=memo,
        )

    def void(self) -> Command | None:
        if not self.recent:
            return None
        index = self.rng.randrange(len(self.recent))
        entry_id, postings = self.recent[index]
        for account_id, debit in postings:
            if account_id in self.closed:
                return None
            after = self.balance[account_id] - self.types[account_id].sign * debit
            if account_id in self.no_overdraft and after < 0:
                return None
        for account_id, debit in postings:
            self.balance[account_id] -= self.types[account_id].sign * debit
            if account_id in self.moves:  # voided today
                moves = self.moves[account_id]
                moves[self.today] = moves.get(self.today, 0) - self.types[account_id].sign * debit
        # swap-remove: an entry is voided at most once
        self.recent[index] = self.recent[-1]
        self.recent.pop()
        return VoidEntry(
            command_id=self.new_id(),
            entry_id=entry_id,
            voided_on=self.today,
            reason=self.rng.choice(("duplicate", "entered in error", "refunded")),
        )
