"""The store's tables and its versioned schema, migrated forward one step at a time.

The version lives in the ``store_meta`` table. Each migration is a function of
a connection inside the opening transaction, which holds the store's write
lock, so two processes opening a new store at once migrate it once. A store of
a newer version than ``SCHEMA_VERSION`` is refused and left untouched.
Alembic was weighed: its version table and scripts would do the same for two
small steps, but the lock and the "is this someone else's database" check
below would still be ours, so the steps are plain functions tested on both
backends.
"""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import (
    Column,
    Connection,
    ForeignKey,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
    inspect,
    select,
    text,
)
from sqlalchemy.schema import SchemaItem

SCHEMA_VERSION = 2
META_TABLE = "store_meta"
NAME_LIMIT = 200


def _meta_table(metadata: MetaData) -> Table:
    return Table(
        META_TABLE,
        metadata,
        Column("key", String(64), primary_key=True),
        Column("value", Text, nullable=False),
    )


def _saved_table(metadata: MetaData, *, rules: bool) -> Table:
    columns: list[SchemaItem] = [
        Column("id", Integer, primary_key=True, autoincrement=True),
        Column("owner", String(512), nullable=False),
        Column("name", String(NAME_LIMIT), nullable=False),
        Column("period", String(32), nullable=False),  # ISO date the data describes
        Column("saved_at", String(40), nullable=False),  # ISO UTC timestamp
        Column("item_version", Integer, nullable=False),
        Column("lineage", String(64), nullable=False),
        Column("model_id", String(64), nullable=False),
        Column("model", LargeBinary, nullable=False),
        Column("settings", Text, nullable=False),
        Column("names", Text, nullable=False),
        Column("summary", Text, nullable=False),
        Column("fingerprint", String(128), nullable=False),
        Column("source", Text, nullable=False),
        Column("key_column", Text),
        Column("n_customers", Integer, nullable=False),
    ]
    if rules:
        columns.append(Column("rules", Text))  # version 2
    return Table(
        "saved_segmentations",
        metadata,
        *columns,
        UniqueConstraint("owner", "name", name="uq_saved_owner_name"),
    )


def _customers_table(metadata: MetaData) -> Table:
    return Table(
        "saved_customers",
        metadata,
        Column(
            "segmentation_id",
            Integer,
            ForeignKey("saved_segmentations.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        Column("data", LargeBinary, nullable=False),  # Parquet: key (text as written), segment
    )


metadata = MetaData()
store_meta = _meta_table(metadata)
saved = _saved_table(metadata, rules=True)
customers = _customers_table(metadata)


def _v1(conn: Connection) -> None:
    """Tables of the first release: saved segmentations and their customers."""
    first = MetaData()
    _meta_table(first)
    _saved_table(first, rules=False)
    _customers_table(first)
    first.create_all(conn)


def _v2(conn: Connection) -> None:
    """Segment rules (readable descriptions of each segment) beside the summary."""
    conn.execute(text("ALTER TABLE saved_segmentations ADD COLUMN rules TEXT"))


MIGRATIONS: tuple[Callable[[Connection], None], ...] = (_v1, _v2)
assert len(MIGRATIONS) == SCHEMA_VERSION


def current_version(conn: Connection) -> int | None:
    """The schema version of the store, 0 for an empty database, None for someone else's."""
    tables = set(inspect(conn).get_table_names())
    if META_TABLE not in tables:
        return 0 if not tables else None
    value = conn.execute(select(store_meta.c.value).where(store_meta.c.key == "schema_version")).scalar()
    return int(value) if value is not None else 0


def foreign_tables(conn: Connection) -> list[str]:
    return sorted(inspect(conn).get_table_names())


def migrate(conn: Connection, found: int, target: int = SCHEMA_VERSION) -> None:
    """Run the steps after ``found`` up to ``target``, and record the version."""
    for step in MIGRATIONS[found:target]:
        step(conn)
    if found == 0:
        conn.execute(store_meta.insert().values(key="schema_version", value=str(target)))
    else:
        conn.execute(
            store_meta.update().where(store_meta.c.key == "schema_version").values(value=str(target))
        )
