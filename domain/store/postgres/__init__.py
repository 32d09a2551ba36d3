"""The event store on PostgreSQL: a book shared by several people at once.

``store.PostgresEventStore`` needs psycopg; ``url`` (telling an address from a path) does not.
"""
