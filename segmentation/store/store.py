"""The store of saved segmentations: save, list, open, rename and delete, per owner.

An owner is who the work belongs to: ``""`` for the one person of a local
dashboard or the command line, the provider's identity (issuer and subject)
of a signed-in person on a team server, or a configured shared space. Every
call names its owner and sees nothing of anyone else's.
"""

from __future__ import annotations

import builtins
import json
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

import numpy as np
import pandas as pd
from sqlalchemy import Engine, delete, func, select, update
from sqlalchemy.exc import IntegrityError

from ..report.errors import SegmentationError
from .database import describe, make_engine, prepare_schema, store_url, transaction
from .records import (
    ITEM_VERSION,
    Snapshot,
    customers_from_parquet,
    customers_parquet,
    names_from_json,
    names_json,
    rules_json,
    settings_from_json,
    settings_json,
    table_from_json,
    table_json,
)
from .schema import NAME_LIMIT, customers, saved

LOCAL_OWNER = ""


@dataclass(frozen=True)
class SavedInfo:
    """One saved segmentation as listed: no model, no customers."""

    name: str
    period: date
    saved_at: datetime
    lineage: str
    model_id: str
    n_segments: int
    n_customers: int
    key_column: str | None
    fingerprint: str
    source: dict[str, Any]
    item_version: int

    @property
    def readable(self) -> bool:
        return self.item_version <= ITEM_VERSION


@dataclass(frozen=True)
class SavedSegmentation:
    """A saved segmentation opened again: its model file, names, settings and summary."""

    info: SavedInfo
    model: bytes
    settings: Any  # segmentation.Settings
    names: dict[int, str]
    summary: pd.DataFrame
    rules: Any = None
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Customers:
    """The customers of a saved segmentation: keys exactly as written, segment numbers, names."""

    label: str
    keys: np.ndarray
    segments: np.ndarray
    names: dict[int, str]


class Store:
    """Saved segmentations in one database; see ``open_store``."""

    def __init__(self, engine: Engine, url: str) -> None:
        self.engine, self.url = engine, url

    @property
    def label(self) -> str:
        return describe(self.url)

    def save(self, snapshot: Snapshot, owner: str = LOCAL_OWNER) -> SavedInfo:
        """Save ``snapshot`` under its name, in one transaction; refuses a name already used."""
        name = check_name(snapshot.name)
        with transaction(self.engine, self.url, f"save {name!r}") as conn:
            if self._find_id(conn, owner, name) is not None:
                raise SegmentationError("saved-name-taken", name=name)
            lineage = self._lineage(conn, owner, snapshot)
            try:
                item_id = conn.execute(
                    saved.insert().values(**_row(snapshot, owner, name, lineage)).returning(saved.c.id)
                ).scalar_one()
            except IntegrityError:  # another session saved this name meanwhile
                raise SegmentationError("saved-name-taken", name=name) from None
            if snapshot.keys is not None and snapshot.segments is not None:
                self._write_customers(conn, item_id, customers_parquet(snapshot.keys, snapshot.segments))
        return self.info(name, owner)

    def _write_customers(self, conn: Any, item_id: int, data: bytes) -> None:
        conn.execute(customers.insert().values(segmentation_id=item_id, data=data))

    def _lineage(self, conn: Any, owner: str, snapshot: Snapshot) -> str:
        """A model numbered like a saved one continues that one's lineage; else it starts its own."""
        for model in (snapshot.like_model_id, snapshot.model_id):
            if model is None:
                continue
            found = conn.execute(
                select(saved.c.lineage)
                .where(saved.c.owner == owner, saved.c.model_id == model)
                .order_by(saved.c.id)
                .limit(1)
            ).scalar()
            if found is not None:
                return str(found)
        return snapshot.like_model_id or snapshot.model_id

    def list(self, owner: str = LOCAL_OWNER) -> builtins.list[SavedInfo]:
        """The owner's saved segmentations, oldest period first."""
        with transaction(self.engine, self.url, "list the saved segmentations") as conn:
            rows = conn.execute(
                select(*_INFO_COLUMNS).where(saved.c.owner == owner).order_by(saved.c.period, saved.c.id)
            ).all()
        return [_info(row) for row in rows]

    def names(self, owner: str = LOCAL_OWNER) -> builtins.list[str]:
        return [item.name for item in self.list(owner)]

    def info(self, name: str, owner: str = LOCAL_OWNER) -> SavedInfo:
        with transaction(self.engine, self.url, f"read {name!r}") as conn:
            row = conn.execute(
                select(*_INFO_COLUMNS).where(saved.c.owner == owner, saved.c.name == name)
            ).first()
            if row is None:
                raise self._not_found(conn, owner, name)
        return _info(row)

    def load(self, name: str, owner: str = LOCAL_OWNER) -> SavedSegmentation:
        """Open a saved segmentation (not its customers)."""
        with transaction(self.engine, self.url, f"open {name!r}") as conn:
            row = conn.execute(select(saved).where(saved.c.owner == owner, saved.c.name == name)).first()
            if row is None:
                raise self._not_found(conn, owner, name)
        info = _info(row)
        _check_readable(info)
        try:
            return SavedSegmentation(
                info=info,
                model=bytes(row.model),
                settings=settings_from_json(row.settings),
                names=names_from_json(row.names),
                summary=table_from_json(row.summary),
                rules=json.loads(row.rules) if row.rules else None,
            )
        except (ValueError, TypeError, KeyError) as exc:
            raise SegmentationError("saved-damaged", name=name, reason=str(exc)[:200]) from None

    def customers(self, name: str, owner: str = LOCAL_OWNER) -> Customers:
        """The customers saved with ``name``; refuses one saved without them."""
        with transaction(self.engine, self.url, f"open {name!r}") as conn:
            row = conn.execute(
                select(saved.c.id, saved.c.names, saved.c.key_column, saved.c.item_version).where(
                    saved.c.owner == owner, saved.c.name == name
                )
            ).first()
            if row is None:
                raise self._not_found(conn, owner, name)
            data = conn.execute(
                select(customers.c.data).where(customers.c.segmentation_id == row.id)
            ).scalar()
        if row.item_version > ITEM_VERSION:
            raise SegmentationError("saved-newer", name=name, found=row.item_version, known=ITEM_VERSION)
        if data is None:
            why = "" if row.key_column else " (its file had no customer ID column)"
            raise SegmentationError("saved-no-customers", name=name, why=why)
        try:
            keys, segments = customers_from_parquet(bytes(data))
        except Exception as exc:  # a damaged blob: this item only
            raise SegmentationError("saved-damaged", name=name, reason=str(exc)[:200]) from None
        return Customers(label=name, keys=keys, segments=segments, names=names_from_json(row.names))

    def rename(self, name: str, new_name: str, owner: str = LOCAL_OWNER) -> None:
        new_name = check_name(new_name)
        with transaction(self.engine, self.url, f"rename {name!r}") as conn:
            item_id = self._find_id(conn, owner, name)
            if item_id is None:
                raise self._not_found(conn, owner, name)
            if new_name == name:
                return
            if self._find_id(conn, owner, new_name) is not None:
                raise SegmentationError("saved-name-taken", name=new_name)
            conn.execute(update(saved).where(saved.c.id == item_id).values(name=new_name))

    def delete(self, name: str, owner: str = LOCAL_OWNER) -> None:
        with transaction(self.engine, self.url, f"delete {name!r}") as conn:
            item_id = self._find_id(conn, owner, name)
            if item_id is None:
                raise self._not_found(conn, owner, name)
            conn.execute(delete(customers).where(customers.c.segmentation_id == item_id))
            conn.execute(delete(saved).where(saved.c.id == item_id))

    def count(self) -> int:
        """Saved segmentations of every owner (for tests and the server log)."""
        with transaction(self.engine, self.url, "count") as conn:
            return int(conn.execute(select(func.count()).select_from(saved)).scalar_one())

    @staticmethod
    def _find_id(conn: Any, owner: str, name: str) -> int | None:
        return conn.execute(select(saved.c.id).where(saved.c.owner == owner, saved.c.name == name)).scalar()

    @staticmethod
    def _not_found(conn: Any, owner: str, name: str) -> SegmentationError:
        names = conn.execute(
            select(saved.c.name).where(saved.c.owner == owner).order_by(saved.c.name)
        ).scalars()
        listed = ", ".join(repr(n) for n in names) or "none yet"
        return SegmentationError("saved-not-found", name=name, names=listed)


def open_store(url: str | None = None) -> Store:
    """The store at ``url`` (default: ``$SEGMENTATION_STORE_URL`` or the file in the data folder).

    Creates a new store's tables and migrates an older one forward; raises
    ``SegmentationError`` for a database that is unreachable, unreadable,
    someone else's, or of a newer version (each left untouched).
    """
    url = store_url(url)
    engine = make_engine(url)
    prepare_schema(engine, url)
    return Store(engine, url)


def check_name(name: str) -> str:
    name = (name or "").strip()
    if not name or len(name) > NAME_LIMIT:
        raise SegmentationError("saved-name-empty", limit=NAME_LIMIT)
    return name


_INFO_COLUMNS = (
    saved.c.name,
    saved.c.period,
    saved.c.saved_at,
    saved.c.lineage,
    saved.c.model_id,
    saved.c.names,
    saved.c.n_customers,
    saved.c.key_column,
    saved.c.fingerprint,
    saved.c.source,
    saved.c.item_version,
)


def _row(snapshot: Snapshot, owner: str, name: str, lineage: str) -> dict[str, Any]:
    return {
        "owner": owner,
        "name": name,
        "period": snapshot.period.isoformat(),
        "saved_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "item_version": ITEM_VERSION,
        "lineage": lineage,
        "model_id": snapshot.model_id,
        "model": snapshot.model,
        "settings": settings_json(snapshot.settings),
        "names": names_json(snapshot.names),
        "summary": table_json(snapshot.summary),
        "fingerprint": snapshot.fingerprint,
        "source": json.dumps(snapshot.source, ensure_ascii=False, default=str),
        "key_column": snapshot.key_column,
        "n_customers": snapshot.n_customers,
        "rules": rules_json(snapshot.rules),
    }


def _info(row: Any) -> SavedInfo:
    try:
        names = json.loads(row.names)
        source = json.loads(row.source)
    except ValueError:
        names, source = {}, {}
    return SavedInfo(
        name=row.name,
        period=_date(row.period),
        saved_at=_datetime(row.saved_at),
        lineage=row.lineage,
        model_id=row.model_id,
        n_segments=len(names),
        n_customers=int(row.n_customers),
        key_column=row.key_column,
        fingerprint=row.fingerprint,
        source=source if isinstance(source, dict) else {},
        item_version=int(row.item_version),
    )


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except (TypeError, ValueError):
        return date.min


def _datetime(text: str) -> datetime:
    try:
        return datetime.fromisoformat(text)
    except (TypeError, ValueError):
        return datetime.min.replace(tzinfo=UTC)


def _check_readable(info: SavedInfo) -> None:
    if not info.readable:
        raise SegmentationError("saved-newer", name=info.name, found=info.item_version, known=ITEM_VERSION)
