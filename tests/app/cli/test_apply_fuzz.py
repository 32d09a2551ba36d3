"""``apply`` fed random and adversarial lines: random Unicode (lone surrogates, NUL,
invisible characters), huge numbers, deep nesting, wrong types, bytes that are no UTF-8.

Every non-blank line gets exactly one answer, in order; never a traceback; the result says
whether every line succeeded (exit 0, else 1); a refused line appends nothing, an accepted one
exactly its positions."""

from __future__ import annotations

import io
import json
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from apply_helpers import open_account
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.cli.apply import apply_lines
from app.cli.book_files import open_book
from app.composition import Book
from domain.model import errors


def _error_types(base: type[BaseException]) -> set[str]:
    found = set()
    for sub in base.__subclasses__():
        found |= {sub.__name__, *_error_types(sub)}
    return found


ERROR_TYPES = _error_types(errors.DomainError) | {"ConcurrencyError", "DiskError"}

ACCOUNTS = [
    open_account("Checking", opening_balance="100.00", overdraft_allowed=False),
    open_account("Salary", "income"),
    open_account("Rent", "expense"),
    open_account("Yen", currency="JPY", account_id="yen"),
]
ENTRY = {"account": "Checking", "amount": "10.00", "booking_date": "2024-01-05"}
TEMPLATES: list[dict[str, Any]] = [
    open_account("New"),
    {"command": "rename_account", "account": "Rent", "new_name": "Housing"},
    {"command": "close_account", "account_id": "yen", "closed_on": "2024-02-01"},
    {"command": "deposit", **ENTRY, "income_account": "Salary", "entry_id": "e1"},
    {"command": "withdraw", **ENTRY, "expense_account": "Rent", "payee": "p", "memo": "m"},
    {
        "command": "transfer",
        "from_account": "Checking",
        "to_account": "Salary",
        "amount": "1",
        "booking_date": "2024-01-06",
    },
    {
        "command": "split",
        "booking_date": "2024-01-07",
        "lines": [{"account": "Rent", "amount": "5"}, {"account": "Checking", "amount": "-5"}],
    },
    {"command": "void", "entry_id": "e1", "voided_on": "2024-01-08", "reason": "r"},
    {
        "command": "correct",
        "entry_id": "e1",
        "replacement": {"command": "deposit", **ENTRY, "income_account": "Salary", "amount": "11"},
    },
]
KEYS = sorted({key for t in TEMPLATES for key in t} | {"lines", "replacement", "x", ""})

NASTY = st.sampled_from(
    ["\ud800", "a\udfffb", "\x00", "a\x00", "\u200b", "\u202eabc", "\ufeff", "x" * 129,
     "x" * 5000, "NaN", "1e3", "+5", "Infinity", " 5", "5,00", "", "-0", "0", "1.005",
     "9" * 40, "1" + "0" * 30, "Checking", " checking ", "Salary", "yen", "e1", "2024-02-30",
     "0000-01-01", "9999-12-31", "0001-01-01", "9999999999999", "-9999999999999.99",
     "1" * 5000, "0." + "1" * 3000, "asset", "EUR", "XAU", "deposit", "retry-1"]
)  # fmt: skip
TEXT = st.text(st.characters(exclude_categories=()), max_size=30)  # surrogates too
SCALARS = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(10**40), max_value=10**40)
    | st.floats(allow_nan=False, allow_infinity=False)
    | TEXT
    | NASTY
)
VALUES = st.recursive(
    SCALARS,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(TEXT | NASTY, inner, max_size=4),
    max_leaves=12,
)


@st.composite
def mutated_command(draw: st.DrawFn) -> bytes:
    command = dict(draw(st.sampled_from(TEMPLATES)))
    for key in draw(st.lists(st.sampled_from(KEYS), max_size=3)):
        if draw(st.booleans()):
            command[key] = draw(VALUES | NASTY)
        else:
            command.pop(key, None)
    if draw(st.booleans()):
        command["command_id"] = draw(NASTY | TEXT)
    return json.dumps(command).encode()


def nested(depth: int, kind: str) -> bytes:
    opening, closing = {"list": ("[", "]"), "object": ('{"a":', "}")}[kind]
    return (opening * depth + "1" + closing * depth).encode()


LINES = st.one_of(
    mutated_command(),
    mutated_command(),
    VALUES.map(lambda v: json.dumps(v).encode()),
    st.builds(
        nested, st.sampled_from([2, 900, 1100, 100_000]), st.sampled_from(["list", "object"])
    ),
    TEXT.map(lambda t: t.replace("\n", " ").encode("utf-8", "surrogatepass")),
    st.binary(max_size=40).map(lambda b: b.replace(b"\n", b" ")),
    st.sampled_from([b"", b"   ", b"\xef\xbb\xbf", b"{}", b"[]", b"null", b'"x"', b"1e999999"]),
)


def is_blank(line: bytes, number: int) -> bool:
    """What apply skips without an answer (the same test as apply's own, on its text)."""
    try:
        text = line.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return not (text.removeprefix("\ufeff") if number == 1 else text).strip()


def run_in_process(
    book: Book, lines: list[bytes], group_lines: int = 1
) -> tuple[bool, list[dict[str, Any]], list[int]]:
    """apply_lines on ``lines``, writing to a strict UTF-8 stream like stdout; returns its
    result, its answers and the book's head before each line and after the last (a line's
    own head only with ``group_lines`` 1: a group reads its lines ahead)."""
    heads: list[int] = []

    def feed() -> Iterator[bytes]:
        for line in lines:
            heads.append(book.store.head()[0])
            yield line + b"\n"
        heads.append(book.store.head()[0])

    raw = io.BytesIO()
    out = io.TextIOWrapper(raw, encoding="utf-8", errors="strict", write_through=True)
    ok = apply_lines(book, feed(), out, group_lines=group_lines)
    heads[-1] = book.store.head()[0]  # once committed
    answers = [json.loads(text) for text in raw.getvalue().decode("utf-8").splitlines()]
    return ok, answers, heads


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(st.lists(LINES, min_size=1, max_size=12))
def test_every_line_gets_one_answer_and_a_refused_line_appends_nothing(lines: list[bytes]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        book = open_book(Path(folder) / "fuzz.tallybook", create=True)
        grouped_book = open_book(Path(folder) / "grouped.tallybook", create=True)
        try:
            setup = [json.dumps(a).encode() for a in ACCOUNTS]
            assert run_in_process(book, setup)[0]
            assert run_in_process(grouped_book, setup)[0]
            ok, answers, heads = run_in_process(book, lines)
            _, grouped, grouped_heads = run_in_process(grouped_book, lines, group_lines=1000)
        finally:
            book.close()
            grouped_book.close()
    # committed together, the lines answer as they do one by one (ids drawn at random aside)
    assert [(a["line"], a["ok"], a.get("error_type")) for a in grouped] == [
        (a["line"], a["ok"], a.get("error_type")) for a in answers
    ]
    assert grouped_heads[-1] == heads[-1]
    expected = [n for n, line in enumerate(lines, 1) if not is_blank(line, n)]
    assert [a["line"] for a in answers] == expected
    assert ok == all(a["ok"] for a in answers)
    for answer in answers:
        n = answer["line"]
        before, after = heads[n - 1], heads[n]
        if answer["ok"]:
            moved = list(range(before + 1, after + 1))
            assert answer["positions"] == moved or (not moved and answer["positions"]), answer
        else:
            assert set(answer) == {"line", "ok", "error", "error_type"}
            assert answer["error_type"] in ERROR_TYPES, answer
            assert 0 < len(answer["error"]) < 1_000  # a megabyte is never quoted back
            assert after == before, answer  # nothing appended


DEPOSIT = {
    "command": "deposit",
    "account": "Checking",
    "income_account": "Salary",
    "amount": "1.00",
    "booking_date": "2024-01-02",
}


def line(command: dict[str, Any], **fields: object) -> bytes:
    """A JSON line (ASCII: a lone surrogate or NUL goes as its escape, as a script writes it)."""
    return json.dumps({**command, **fields}).encode()


ADVERSARIAL = [
    line(ACCOUNTS[0]),
    line(ACCOUNTS[1]),
    line(open_account("A\ud800")),
    line(DEPOSIT, command_id="\ud800"),
    line({"command": "void", "entry_id": "a\x00b", "voided_on": "2024-01-02"}),
    line(DEPOSIT, amount="NaN"),
    line(DEPOSIT).replace(b'"1.00"', b"1e999"),
    b'{"command": "deposit", "\\ud800": 1}',
    b"\xed\xa0\x80",  # a surrogate encoded as if UTF-8: no UTF-8
    b"\xff\xfe",
    b"[" * 100_000 + b"]" * 100_000,
    b'{"a":' * 5_000 + b"1" + b"}" * 5_000,
    line(open_account("x" * 1_000_000)),
    b"",
    line(DEPOSIT),
]


def test_a_subprocess_answers_every_adversarial_line_and_exits_1(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "app.cli.main", "apply", str(tmp_path / "fuzz.tallybook")],
        input=b"\n".join(ADVERSARIAL) + b"\n",
        capture_output=True,
        timeout=120,
    )
    assert result.stderr == b""
    assert result.returncode == 1
    answers = [json.loads(line) for line in result.stdout.decode("utf-8").splitlines()]
    blank = ADVERSARIAL.index(b"") + 1
    assert [a["line"] for a in answers] == [n for n in range(1, len(ADVERSARIAL) + 1) if n != blank]
    assert [a["ok"] for a in answers] == [True, True] + [False] * 11 + [True]
    assert answers[-1]["positions"] == [5]  # Checking and its opening balance 1-3, Salary 4
