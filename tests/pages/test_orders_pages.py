"""Page tests (AppTest) of order lines: propose roles, build customers, RFM view, both downloads."""

from __future__ import annotations

import pandas as pd

from bench.orders import order_lines_frame
from segmentation import load
from tests.pages.apptest import goto, open_app, shown, sidebar_text, upload


def order_lines_bytes(n: int = 3_000) -> bytes:
    return order_lines_frame(n, seed=3).to_csv(index=False, sep=";").encode()


def built_app():
    at = upload(open_app(), "lines.csv", order_lines_bytes())
    assert any("order lines" in i.value for i in at.info)
    roles = {s.label: s.value for s in at.selectbox}
    assert roles["Customer key *"] == "CustomerID" and roles["Order date *"] == "InvoiceDate"
    assert roles["Order / invoice id"] == "InvoiceNo" and roles["Status"] == "Status"
    at.button(key="orders_build").click().run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def test_order_lines_build_customers_and_the_sidebar_says_so():
    at = built_app()
    assert "Customers from lines.csv" in sidebar_text(at)
    assert "built from 3,000 order lines" in sidebar_text(at)
    assert any("customers" in m.value and "order lines" in m.value for m in at.markdown)
    codes_shown = shown(" ".join(w.value for w in at.warning))
    assert "returns or credit notes" in codes_shown and "have no customer in 'CustomerID'" in codes_shown
    features = at.multiselect[0].value
    assert features[:3] == ["recency_days", "frequency", "monetary"] and "r_score" not in features


def test_segments_show_the_rfm_view():
    at = goto(built_app(), "pages/segments.py")
    rfm = [
        d.value for d in at.dataframe if "Hibernating" in d.value.columns or "Champions" in d.value.columns
    ]
    assert rfm, "no RFM table on the Segments page"
    table = rfm[0]
    assert table.to_numpy().sum() > 0


def test_both_downloads(captured):
    at = goto(built_app(), "pages/export.py")
    labels = [b.label for b in at.download_button]
    assert "Download customers with segments" in labels and "Download order lines with segments" in labels
    customers = load(captured["lines_customers_segments.csv"]).raw
    assert list(customers.columns[:2]) == ["CustomerID", "recency_days"]
    assert customers["segment"].ne("").all()
    lines = load(captured["lines_customers_order_lines_segments.csv"]).raw
    original = load(order_lines_bytes()).raw
    assert len(lines) == len(original)
    pd.testing.assert_frame_equal(lines[list(original.columns)], original)  # every cell as read
    labeled = lines[lines["segment"] != ""]
    by_customer = labeled.groupby("CustomerID")["segment"].nunique()
    assert (by_customer == 1).all()  # every line of a customer has that customer's segment
    assert set(lines.loc[lines["CustomerID"] == "", "segment_note"]) == {"no customer key"}


def test_a_bad_choice_shows_one_error_and_keeps_the_order_lines():
    at = upload(open_app(), "lines.csv", order_lines_bytes())
    at.selectbox(key=next(s.key for s in at.selectbox if s.label == "Order date *")).set_value(
        "Category"
    ).run()
    at.button(key="orders_build").click().run()
    assert not at.exception
    assert any("are not dates" in e.value for e in at.error)
    assert "lines.csv" in sidebar_text(at) and "Customers from" not in sidebar_text(at)


def test_the_count_says_order_lines_until_customers_are_built():
    """One story per file: 3,000 order lines are not called 3,000 customers."""
    at = upload(open_app(), "lines.csv", order_lines_bytes())
    assert at.metric[0].label == "Order lines segmented (one row per customer not built yet)"
    at.button(key="orders_build").click().run()
    assert at.metric[0].label == "Customers segmented"
    assert int(at.metric[0].value.replace(",", "")) < 3_000
