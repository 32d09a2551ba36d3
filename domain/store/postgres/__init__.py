"""The event store on PostgreSQL: a book shared by several people at once."""

from domain.store.postgres.store import PostgresEventStore, is_postgres_url

__all__ = ["PostgresEventStore", "is_postgres_url"]
