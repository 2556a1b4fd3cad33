"""Every zip opened within bounds: declared totals, ratios, sizes that lie; the two 2 GiB bombs."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest

from segmentation import Settings, load, segment
from segmentation.io.containers import (
    ZipLimits,
    check_zip,
    limits_for_upload,
    open_zip,
    read_member,
    verify_sizes,
)
from segmentation.io.synthetic import customers_to_csv_bytes, generate_customers
from segmentation.report.errors import SegmentationError
from segmentation.reuse.modelfile import model_bytes, read_model
from tests.workbooks import (
    PYTHON,
    customers,
    lying_sizes,
    peak_rss_mib,
    table_sheet,
    workbook_bomb,
    write_zero_member,
    xlsx,
    zero_array_model,
)

MEMORY_LIMIT_MIB = 300


def _zip(members: dict[str, bytes]) -> bytes:
    sink = io.BytesIO()
    with zipfile.ZipFile(sink, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return sink.getvalue()


def _zeros_zip(size: int) -> bytes:
    sink = io.BytesIO()
    with zipfile.ZipFile(sink, "w", zipfile.ZIP_DEFLATED) as archive:
        write_zero_member(archive, "zeros.bin", size)
    return sink.getvalue()


def test_limits_follow_the_upload_limit() -> None:
    assert limits_for_upload(200 * 2**20).total_bytes == 1000 * 2**20


def test_a_plain_zip_passes_and_members_read_back() -> None:
    data = _zip({"a.txt": b"hello " * 1000, "b.txt": b"x"})
    with open_zip(data, label="The file") as archive:
        contents = check_zip(archive, ZipLimits(total_bytes=10_000), label="The file")
        verify_sizes(data, archive, label="The file")
        assert read_member(archive, "a.txt", label="The file") == b"hello " * 1000
    assert contents.total_bytes == 6001
    assert contents.names == ("a.txt", "b.txt")


def test_declared_total_over_the_limit_is_refused_before_inflating() -> None:
    data = _zip({"a.txt": bytes(range(256)) * 40})
    with open_zip(data, label="The file") as archive, pytest.raises(SegmentationError) as error:
        check_zip(archive, ZipLimits(total_bytes=10_000), label="The file")
    assert error.value.code == "zip-too-large"
    assert "10,240" not in str(error.value) and "MB" in str(error.value)


def test_large_member_packed_past_the_ratio_is_refused() -> None:
    data = _zeros_zip(50 * 2**20)  # deflate packs zeros about 1,000 to one
    with open_zip(data, label="The file") as archive, pytest.raises(SegmentationError) as error:
        check_zip(archive, ZipLimits(total_bytes=2**30), label="The file")
    assert error.value.code == "zip-ratio"
    assert error.value.fields["ratio"] > 100
    assert "'zeros.bin'" in str(error.value)


def test_small_members_are_not_held_to_the_ratio() -> None:
    data = _zip({"styles.xml": b" " * 100_000})  # 100 KB packs far past 100:1, and is harmless
    with open_zip(data, label="The file") as archive:
        check_zip(archive, ZipLimits(total_bytes=2**30), label="The file")


def test_member_inflating_past_its_declared_size_is_refused() -> None:
    honest = _zeros_zip(20 * 2**20)
    lying = lying_sizes(honest, "zeros.bin", 1_000)  # declares 1 KB: passes the ratio
    with open_zip(lying, label="The file") as archive:
        check_zip(archive, ZipLimits(total_bytes=2**30), label="The file")
        with pytest.raises(SegmentationError) as error:
            verify_sizes(lying, archive, label="The file")
        assert error.value.code == "zip-size-mismatch"
        # Our reads stop at the declared size whatever the stream holds (then the CRC tells the lie).
        with pytest.raises(SegmentationError) as error:
            read_member(archive, "zeros.bin", label="The file")
        assert error.value.code == "zip-damaged"


def test_damaged_zip_gives_one_message() -> None:
    with pytest.raises(SegmentationError) as error, open_zip(b"PK\x03\x04 not a zip", label="The file"):
        pass
    assert error.value.code == "zip-damaged"


@pytest.fixture(scope="module")
def model_file() -> bytes:
    csv = customers_to_csv_bytes(generate_customers(300, seed=2))
    return model_bytes(segment(load(csv), Settings(n_clusters=3)))


@pytest.fixture(scope="module")
def bombs(tmp_path_factory, model_file) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("bombs")
    (folder / "customers.csv").write_bytes(customers_to_csv_bytes(generate_customers(200, seed=5)))
    return {
        "model": zero_array_model(model_file, folder / "zeros.skops"),
        "workbook": workbook_bomb(folder / "bomb.xlsx"),
        "customers": folder / "customers.csv",
        "folder": folder,
    }


def test_zero_array_model_is_small_and_declares_2_gib(bombs) -> None:
    path = bombs["model"]
    assert path.stat().st_size < 5 * 2**20
    with zipfile.ZipFile(path) as archive:
        assert max(info.file_size for info in archive.infolist()) > 2 * 2**30


def test_zero_array_model_is_refused(bombs) -> None:
    with pytest.raises(SegmentationError) as error:
        read_model(bombs["model"])
    assert error.value.code in ("zip-too-large", "zip-ratio")
    assert "not opened" in str(error.value)


def test_workbook_bomb_is_refused(bombs) -> None:
    with pytest.raises(SegmentationError) as error:
        load(bombs["workbook"])
    assert error.value.code in ("zip-too-large", "zip-ratio")


def test_workbook_bomb_under_a_csv_name_is_refused(bombs) -> None:
    renamed = bombs["folder"] / "customers_export.csv"
    renamed.write_bytes(bombs["workbook"].read_bytes())
    with pytest.raises(SegmentationError) as error:
        load(renamed)
    assert error.value.code in ("zip-too-large", "zip-ratio")


def test_cli_refuses_the_zero_array_model_with_exit_2_in_bounded_memory(bombs) -> None:
    code, stderr, peak = peak_rss_mib(
        [
            PYTHON,
            "-m",
            "segmentation",
            "score",
            str(bombs["customers"]),
            "--model",
            str(bombs["model"]),
            "-o",
            str(bombs["folder"] / "scored.csv"),
        ]
    )
    assert code == 2
    assert stderr.count("\n") == 1 and stderr.startswith("error: ")
    assert "unpack" in stderr
    assert peak < MEMORY_LIMIT_MIB, f"peak {peak:.0f} MiB"


def test_cli_refuses_the_workbook_bomb_with_exit_2_in_bounded_memory(bombs) -> None:
    code, stderr, peak = peak_rss_mib(
        [
            PYTHON,
            "-m",
            "segmentation",
            "segment",
            str(bombs["workbook"]),
            "-o",
            str(bombs["folder"] / "o.csv"),
        ]
    )
    assert code == 2
    assert stderr.count("\n") == 1 and stderr.startswith("error: ")
    assert "unpack" in stderr
    assert peak < MEMORY_LIMIT_MIB, f"peak {peak:.0f} MiB"


def test_sparse_cell_bomb_is_refused_and_the_caller_survives() -> None:
    """Two cells far apart: calamine would lay out 1,048,576 × 16,384 cells and abort its process."""
    base = xlsx(lambda book: table_sheet(book, "S", customers(3)))
    with zipfile.ZipFile(io.BytesIO(base)) as archive:
        sheet = archive.read("xl/worksheets/sheet1.xml").decode()
    far = '<row r="1048576"><c r="XFD1048576"><v>5</v></c></row></sheetData>'
    bomb = _rezip(base, {"xl/worksheets/sheet1.xml": sheet.replace("</sheetData>", far).encode()})
    assert len(bomb) < 10_000
    with pytest.raises(SegmentationError) as error:
        load(bomb)
    assert error.value.code == "workbook-too-large"


def _rezip(data: bytes, replace: dict[str, bytes]) -> bytes:
    from tests.workbooks import rezip

    return rezip(data, replace)
