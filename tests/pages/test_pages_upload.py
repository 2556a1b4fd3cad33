"""Uploads are judged by content, a refusal is explained on the page, and Export describes its file."""

from __future__ import annotations

import csv
import io

import pytest

from segmentation.report.text import markdown_text
from tests.pages.apptest import goto, open_app, sidebar_text, upload


def customers_csv(n: int = 60, gap_row: int | None = None) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["customer_id", "income", "visits"])
    for i in range(n):
        writer.writerow([f"C{i:03d}", "" if i == gap_row else 20 + (i * 37) % 80, 1 + (i * 11) % 9])
    return out.getvalue().encode()


def test_the_uploader_accepts_any_extension():
    at = open_app()
    assert list(at.file_uploader[0].proto.type) == []  # no extension filter: the content decides


@pytest.mark.parametrize("name", ["customers", "customers.dat", "customers.txt", "export.CSV"])
def test_a_csv_under_any_name_is_used(name):
    at = upload(open_app(), name, customers_csv())
    assert not at.error, [e.value for e in at.error]
    assert name in sidebar_text(at)
    assert at.metric[0].value == "60"


def test_a_refused_file_says_why_and_that_the_previous_data_are_still_in_use():
    at = upload(
        open_app(), "notes.dat", b"comment\n" + b"".join(b"free text %d here\n" % i for i in range(40))
    )
    assert (
        at.error
        and markdown_text("notes.dat") in at.error[0].value
        and "could not be used" in at.error[0].value
    )
    assert (
        len(at.error[0].value) > len("**notes\\.dat** could not be used. ") + 20
    )  # the reason is written out
    captions = " ".join(c.value for c in at.caption)
    assert "Still showing: Synthetic customers" in captions and "previous data are still in use" in captions


def test_export_describes_the_unsegmented_rows_as_the_file_has_them(captured):
    at = upload(open_app(), "gaps.csv", customers_csv(gap_row=5))
    at.session_state["missing"] = "exclude"
    at.run()
    goto(at, "pages/export.py")
    text = " ".join(m.value for m in at.markdown)
    assert "an empty `segment`" in text
    rows = list(csv.DictReader(io.StringIO(captured["gaps_segments.csv"].decode("utf-8"))))
    assert rows[5]["segment"] == "" and rows[5]["segment_name"] == "" and rows[5]["segment_note"]
    assert rows[4]["segment"] != ""


def _open_quote_csv() -> bytes:
    rows = "".join(f"C{i:03d},{20 + i % 50},{1 + i % 9}\n" for i in range(3, 80))
    return ('customer_id,income,visits\nC001,25,3\nC002,"31,4\n' + rows).encode()


def test_a_quote_left_open_is_refused_with_its_line_then_read_literally_by_choice():
    at = upload(open_app(), "open_quote.csv", _open_quote_csv())
    assert at.error and "line 3" in at.error[0].value and "ordinary characters" in at.error[0].value
    at.checkbox(key="literal_quotes").check().run()
    assert not at.error, [e.value for e in at.error]
    assert at.metric[0].value == "79"
