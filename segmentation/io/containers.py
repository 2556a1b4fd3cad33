"""Zip containers opened within bounds: workbooks, model files, anything that is a zip.

A zip's central directory declares each member's packed and unpacked size.
Before anything is inflated, ``check_zip`` totals the declared unpacked sizes
against a limit and refuses large members packed more than ``ratio`` to one
(how zip bombs are made: 2 MB of zeros declared as 2 GiB). Declared sizes can
lie, so every read here stops at the declared size (``read_member``), and
``verify_sizes`` inflates each member once, in small steps, to prove that no
member unpacks past what it declares before a reader that trusts the stream
(calamine) is given the file.
"""

from __future__ import annotations

import io
import zipfile
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from ..report.errors import SegmentationError

ZIP_MAGIC = b"PK\x03\x04"
_EMPTY_ZIP = b"PK\x05\x06"
_ENCRYPTED = 0x1
_STEP = 1 << 20  # bytes inflated per step: the most ever held at once while checking

Source = bytes | bytearray | memoryview | str | Path


@dataclass(frozen=True)
class ZipLimits:
    """How far a zip may unpack.

    Attributes
    ----------
    total_bytes : int
        The declared unpacked sizes of all members together may not exceed this.
    ratio : float
        Members declared at least ``ratio_from_bytes`` may not unpack to more than
        ``ratio`` times their packed size.
    ratio_from_bytes : int
        Smaller members are not held to the ratio (a tiny XML part packs well).
    members : int
        At most this many members.
    """

    total_bytes: int
    ratio: float = 100.0
    ratio_from_bytes: int = 1 << 20
    members: int = 10_000


def limits_for_upload(max_bytes: int) -> ZipLimits:
    """The limits for a file of at most ``max_bytes``: five times that unpacked (1,000 MB for 200 MB).

    A real workbook's sheets pack 5 to 15 to one, so a file at the upload limit
    still opens; what unpacks past five times the upload limit would take the
    server's memory whatever it holds.
    """
    return ZipLimits(total_bytes=5 * max_bytes)


@dataclass(frozen=True)
class Member:
    """One member as the central directory declares it."""

    name: str
    size: int
    packed: int

    @property
    def ratio(self) -> float:
        return self.size / max(self.packed, 1)


@dataclass(frozen=True)
class ZipContents:
    """The members of a checked zip (declared sizes) and their declared total."""

    members: tuple[Member, ...]

    @property
    def total_bytes(self) -> int:
        return sum(member.size for member in self.members)

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(member.name for member in self.members)


def is_zip(data: bytes) -> bool:
    """Whether ``data`` (a file's first bytes) starts like a zip."""
    return data.startswith((ZIP_MAGIC, _EMPTY_ZIP))


@contextmanager
def open_zip(source: Source, *, label: str) -> Iterator[zipfile.ZipFile]:
    """The zip's directory, or ``zip-damaged`` when it has none."""
    target: io.BytesIO | Path = (
        io.BytesIO(bytes(source)) if isinstance(source, (bytes, bytearray, memoryview)) else Path(source)
    )
    try:
        archive = zipfile.ZipFile(target)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, EOFError) as exc:
        raise SegmentationError("zip-damaged", name=label, reason=_reason(exc)) from None
    except OSError as exc:
        raise SegmentationError("file-unreadable", path=str(source), reason=exc.strerror or exc) from None
    with archive:
        yield archive


def check_zip(archive: zipfile.ZipFile, limits: ZipLimits, *, label: str) -> ZipContents:
    """The declared members, once their sizes and ratios are within ``limits``; nothing is inflated.

    Raises
    ------
    SegmentationError
        ``zip-too-large`` (declared total, or too many members), ``zip-ratio``
        (a large member packed past the ratio) or ``zip-damaged`` (an
        encrypted member, or one packed in a way this reader does not know).
    """
    infos = archive.infolist()
    if len(infos) > limits.members:
        raise SegmentationError("zip-too-many", name=label, count=len(infos), limit=limits.members)
    members = tuple(Member(info.filename, info.file_size, info.compress_size) for info in infos)
    total = sum(member.size for member in members)
    if total > limits.total_bytes:
        raise SegmentationError(
            "zip-too-large", name=label, size_mb=total / 2**20, limit_mb=limits.total_bytes / 2**20
        )
    for info, member in zip(infos, members, strict=True):
        if member.size >= limits.ratio_from_bytes and member.ratio > limits.ratio:
            raise SegmentationError(
                "zip-ratio", name=label, member=member.name, ratio=member.ratio, limit=limits.ratio
            )
        if info.flag_bits & _ENCRYPTED:
            raise SegmentationError("zip-damaged", name=label, reason=f"{member.name!r} is encrypted")
        if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            raise SegmentationError(
                "zip-damaged",
                name=label,
                reason=f"{member.name!r} is packed with method {info.compress_type}",
            )
    return ZipContents(members)


def read_member(archive: zipfile.ZipFile, name: str, *, label: str) -> bytes:
    """A member's bytes, never more than its declared size (call ``check_zip`` first).

    Python's zip reader stops at the declared size by itself and checks the
    CRC of what it read; a stream that goes on past it is cut there.
    """
    try:
        with archive.open(name) as member:
            return member.read(archive.getinfo(name).file_size)
    except (zipfile.BadZipFile, zlib.error, KeyError, EOFError, NotImplementedError) as exc:
        raise SegmentationError("zip-damaged", name=label, reason=_reason(exc)) from None


def verify_sizes(source: Source, archive: zipfile.ZipFile, *, label: str) -> None:
    """Inflate every member step by step and refuse any that unpacks past its declared size.

    For readers that inflate a member until its stream ends, whatever the
    directory says. At most ``_STEP`` bytes are held at once.
    """
    buffer = memoryview(bytes(source)) if isinstance(source, (bytes, bytearray, memoryview)) else None
    with Path(source).open("rb") if buffer is None else io.BytesIO(buffer) as raw:  # type: ignore[arg-type]
        for info in archive.infolist():
            if info.compress_type == zipfile.ZIP_DEFLATED and _inflates_past(raw, info):
                raise SegmentationError(
                    "zip-size-mismatch", name=label, member=info.filename, size=info.file_size
                )


def _inflates_past(raw: io.BufferedIOBase | io.BytesIO, info: zipfile.ZipInfo) -> bool:
    """Whether the member's deflate stream gives more than its declared size."""
    raw.seek(info.header_offset)
    header = raw.read(30)
    if len(header) < 30 or not header.startswith(ZIP_MAGIC):
        return False  # the zip reader reports a damaged member itself
    name_length = int.from_bytes(header[26:28], "little")
    extra_length = int.from_bytes(header[28:30], "little")
    raw.seek(info.header_offset + 30 + name_length + extra_length)
    inflate = zlib.decompressobj(-15)
    left, produced = info.compress_size, 0
    pending = b""
    while not inflate.eof:
        if not pending:
            if left <= 0:
                break
            pending = raw.read(min(_STEP, left))
            if not pending:
                break
            left -= len(pending)
        try:
            produced += len(inflate.decompress(pending, _STEP))
        except zlib.error:
            return False  # damaged: the zip reader's CRC check reports it
        pending = inflate.unconsumed_tail
        if produced > info.file_size:
            return True
    return False


def _reason(exc: BaseException) -> str:
    return (str(exc).splitlines() or [type(exc).__name__])[0][:200]
