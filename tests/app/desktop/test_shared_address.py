"""The Open Shared Book form without Qt: the address its fields make, what it refuses, and
that the password stays out of everything but the connection."""

from __future__ import annotations

import pytest

from app.desktop.shared_address import SharedBookForm, shared_label, without_password
from domain.store.postgres.url import parse


def test_a_server_and_port_make_a_tcp_address() -> None:
    form = SharedBookForm(host="db.example", port="5433", database="books", user="ann",
                          book="club")  # fmt: skip
    assert form.problem() == ""
    assert form.address() == "postgresql://ann@db.example:5433/books?book=club"
    assert parse(form.address()).schema == "club"


def test_a_socket_folder_is_libpqs_host_parameter() -> None:
    form = SharedBookForm(host="/run/postgresql", database="books", user="ann")
    assert form.address() == "postgresql://ann@/books?host=/run/postgresql&book=tallybook"


def test_the_password_is_only_in_the_address_to_connect() -> None:
    form = SharedBookForm(host="db", database="books", user="ann", password="p&ss=w/rd")
    assert "p&ss" not in form.address()
    connect = form.address_to_connect()
    assert connect == "postgresql://ann:p%26ss%3Dw%2Frd@db/books?book=tallybook"
    assert without_password(connect) == "postgresql://ann@db/books"
    assert SharedBookForm.from_address(connect).password == ""
    nobody = SharedBookForm(host="db", database="books", password="pw").address_to_connect()
    assert nobody == "postgresql://:pw@db/books?book=tallybook"  # libpq's own user name


@pytest.mark.parametrize(
    ("fields", "problem"),
    [
        ({"database": ""}, "Name the database"),
        ({"port": "54x"}, "is not a number"),
        ({"port": "70000"}, "is not a number"),
        ({"book": "Club"}, "lower-case letters"),
        ({"book": "1club"}, "lower-case letters"),
        ({"host": "db example"}, "cannot hold"),
    ],
)
def test_bad_fields_say_what_is_wrong(fields: dict[str, str], problem: str) -> None:
    form = SharedBookForm(**{"host": "db", "database": "books", "user": "ann", **fields})
    assert problem in form.problem()
    with pytest.raises(ValueError, match=problem):
        form.address()


def test_an_address_fills_the_form_again() -> None:
    address = "postgresql://ann@/books?host=/run/postgresql&port=5433&book=club"
    form = SharedBookForm.from_address(address)
    assert (form.host, form.port, form.database, form.user, form.book) == (
        "/run/postgresql", "5433", "books", "ann", "club",
    )  # fmt: skip
    assert form.address() == address


def test_a_shared_books_label_names_the_book_and_its_server() -> None:
    assert shared_label("postgresql://ann@db.example:5433/books?book=club") == (
        "club on db.example:5433"
    )
    assert shared_label("postgresql://ann@/books?host=/run/postgresql") == (
        "tallybook on this computer"
    )
    assert shared_label("postgresql://ann@db/books?book=Bad-Name") == "shared book"
