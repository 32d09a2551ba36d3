"""PostgreSQL's part of a book's schema: append-only and gap-free enforced by triggers."""

from __future__ import annotations

from sqlalchemy import Connection

from domain.store import schema

# SET search_path FROM CURRENT: the functions name the tables of the schema they were
# created in, whatever the search_path of the session that fires them
_APPEND_ONLY = """
CREATE FUNCTION refuse_change() RETURNS trigger LANGUAGE plpgsql
SET search_path FROM CURRENT AS $$
BEGIN
    RAISE EXCEPTION USING
        MESSAGE = TG_TABLE_NAME || ' are append-only', ERRCODE = 'restrict_violation';
END $$
"""
# Checked once a statement, over the rows it added (a transition table): a COPY of a whole
# batch pays one check, not one lookup a row, and an append's INSERT no more than before. The
# rows before were 1..head (the same check held for every earlier statement) and the key keeps
# new positions off them, so the added rows must be exactly head + 1 .. head + count.
_GAP_FREE = """
CREATE FUNCTION events_gap_free() RETURNS trigger LANGUAGE plpgsql
SET search_path FROM CURRENT AS $$
DECLARE
    low bigint;
    high bigint;
    added bigint;
BEGIN
    SELECT min(position), max(position), count(*) INTO low, high, added FROM added_events;
    IF added > 0 AND (high - low + 1 <> added OR low <> 1 + coalesce(
            (SELECT max(position) FROM events WHERE position < low), 0)) THEN
        RAISE EXCEPTION 'event positions are gap-free' USING ERRCODE = 'check_violation';
    END IF;
    RETURN NULL;
END $$
"""


def create_book_tables(conn: Connection) -> None:
    """The tables of ``domain.store.schema`` and their triggers, in the session's schema."""
    schema.metadata.create_all(conn)
    conn.exec_driver_sql(_APPEND_ONLY)
    conn.exec_driver_sql(_GAP_FREE)
    for table in schema.APPEND_ONLY_TABLES:
        conn.exec_driver_sql(
            f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
            "FOR EACH ROW EXECUTE FUNCTION refuse_change()"
        )
        conn.exec_driver_sql(
            f"CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table} "
            "FOR EACH STATEMENT EXECUTE FUNCTION refuse_change()"
        )
    conn.exec_driver_sql(
        "CREATE TRIGGER events_gap_free AFTER INSERT ON events "
        "REFERENCING NEW TABLE AS added_events "
        "FOR EACH STATEMENT EXECUTE FUNCTION events_gap_free()"
    )
