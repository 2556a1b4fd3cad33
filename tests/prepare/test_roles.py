"""Columns an analyst leaves out at a glance, each with its true reason, and order lines noticed.

Every fixture is generated here; headers come in several languages and spellings because
real exports do.
"""

from __future__ import annotations

import numpy as np
import pytest

from segmentation.prepare import roles as roles
from segmentation.prepare.dataset import load
from segmentation.prepare.features import choose_features


def table(columns: dict[str, list[object]]) -> bytes:
    names = list(columns)
    n = len(columns[names[0]])
    lines = [",".join(names)] + [",".join(str(columns[c][i]) for c in names) for i in range(n)]
    return ("\n".join(lines) + "\n").encode()


def measures(n: int, seed: int = 0) -> dict[str, list[object]]:
    rng = np.random.default_rng(seed)
    return {
        "Age": rng.integers(18, 80, n).tolist(),
        "Income": np.round(rng.gamma(3, 15000, n), 2).tolist(),
        "Plan": rng.choice(["basic", "plus", "pro"], n).tolist(),
    }


def select(columns: dict[str, list[object]], **kwargs):
    return choose_features(load(table(columns)).columns, **kwargs)


N = 120


# --- reasons -------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["Row ID", "RowNumber", "Id_fila", "Unnamed: 0", "index", "row_no"])
def test_row_numbers_are_left_out_as_row_numbers(name: str) -> None:
    start = 0 if name in ("Unnamed: 0", "index") else 1
    selection = select({name: list(range(start, N + start)), **measures(N)})
    assert selection.excluded[name] == roles.ROW_NUMBER
    assert selection.features == ["Age", "Income", "Plan"]


def test_a_counter_in_file_order_is_a_row_number_whatever_its_name() -> None:
    selection = select({"n": list(range(1, N + 1)), **measures(N)})
    assert selection.excluded["n"] == roles.ROW_NUMBER


def test_a_row_number_never_hides_the_customer_id() -> None:
    ids = [f"C{i:05d}" for i in np.random.default_rng(1).permutation(N)]
    selection = select({"RowNumber": list(range(1, N + 1)), "CustomerId": ids, **measures(N)})
    assert selection.excluded["RowNumber"] == roles.ROW_NUMBER
    assert selection.excluded["CustomerId"].startswith("customer ID")


@pytest.mark.parametrize(
    ("name", "values", "reason"),
    [
        ("ORDERNUMBER", lambda i: 10100 + i // 3, roles.ORDER_NUMBER),
        ("InvoiceNo", lambda i: f"INV{536365 + i // 2}", roles.ORDER_NUMBER),
        ("numero_pedido", lambda i: 500 + i, roles.ORDER_NUMBER),
        ("Bestellnummer", lambda i: 9000 + i, roles.ORDER_NUMBER),
        ("Номер заказа", lambda i: 77 + i, roles.ORDER_NUMBER),
        ("POSTALCODE", lambda i: f"{10000 + 37 * i % 9000}", roles.POSTAL_CODE),
        ("zip", lambda i: 90000 + i % 60, roles.POSTAL_CODE),
        ("PHONE", lambda i: f"+1 555 01{i:03d}", roles.PHONE_NUMBER),
        ("Telefone", lambda i: f"(11) 9{i:04d}-0000", roles.PHONE_NUMBER),
        ("ADDRESSLINE1", lambda i: f"{i} Main Street", roles.ADDRESS),
        ("year", lambda i: 2015 + i % 5, roles.DATE_PART),
        ("month", lambda i: 1 + i % 12, roles.DATE_PART),
        ("day", lambda i: 1 + i % 28, roles.DATE_PART),
        ("day_of_week", lambda i: ["Mon", "Tue", "Wed", "Thu", "Fri"][i % 5], roles.DATE_PART),
        ("QTR_ID", lambda i: 1 + i % 4, roles.DATE_PART),
        ("MONTH_ID", lambda i: 1 + i % 12, roles.DATE_PART),
        ("YEAR_ID", lambda i: 2003 + i % 3, roles.DATE_PART),
    ],
)
def test_identifiers_places_contacts_and_date_parts_have_their_true_reason(name, values, reason) -> None:
    selection = select({name: [values(i) for i in range(N)], **measures(N)})
    assert selection.excluded[name] == reason
    assert not selection.excluded[name].startswith("customer ID")


@pytest.mark.parametrize("name", ["Year_Birth", "order_count", "average_order_value", "QUANTITYORDERED"])
def test_measures_named_near_those_words_stay_features(name: str) -> None:
    values = np.random.default_rng(2).integers(1940, 2000, N).tolist()
    assert name in select({name: values, **measures(N)}).numeric


def test_a_yes_no_service_column_is_not_a_phone_number() -> None:
    selection = select({"PhoneService": ["Yes", "No"] * (N // 2), **measures(N)})
    assert "PhoneService" in selection.categorical


# --- outcome columns ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "values"),
    [
        ("Churn", ["Yes", "No", "No", "No"]),
        ("Exited", [1, 0, 0, 0]),
        (
            "Attrition_Flag",
            ["Attrited Customer", "Existing Customer", "Existing Customer", "Existing Customer"],
        ),
        ("y", ["yes", "no", "no", "no"]),
        ("target", [0, 1, 0, 0]),
        ("Response", [0, 0, 1, 0]),
        ("default", ["no", "no", "yes", "no"]),
        ("Categoria", ["Cliente", "Cliente", "Cancelado", "Cliente"]),
    ],
)
def test_outcome_columns_are_left_out_and_listed(name: str, values: list[object]) -> None:
    selection = select({**measures(N), name: values * (N // 4)})
    assert selection.excluded[name] == roles.OUTCOME
    assert selection.outcomes == [name]
    assert "outcome-columns" in {p.code for p in selection.notes}
    back = select({**measures(N), name: values * (N // 4)}, include_outcomes=True)
    assert name in back.features and back.outcomes == []
    chosen = select({**measures(N), name: values * (N // 4)}, features=["Age", name])
    assert name in chosen.features and chosen.outcomes == []


# --- order lines -------------------------------------------------------------------------


def order_lines(customer: str, key, *, row_number: bool = False) -> dict[str, list[object]]:
    rng = np.random.default_rng(3)
    n = 300
    columns: dict[str, list[object]] = {}
    if row_number:
        columns["Row ID"] = list(range(1, n + 1))
    columns[customer] = [key(int(c)) for c in rng.integers(0, 40, n)]
    columns["Date"] = [f"2023-{1 + i % 12:02d}-{1 + i % 28:02d}" for i in range(n)]
    columns["Quantity"] = rng.integers(1, 6, n).tolist()
    columns["Price"] = np.round(rng.uniform(1, 50, n), 2).tolist()
    return columns


@pytest.mark.parametrize(
    ("customer", "key"),
    [
        ("Member_number", lambda c: 1000 + c),
        ("CustomerID", lambda c: 12346.0 + c),
        ("cliente", lambda c: f"Cliente {c}"),
        ("Kunde", lambda c: f"K-{c:03d}"),
        ("клиент", lambda c: f"клиент {c}"),
        ("müşteri_id", lambda c: c),
        ("CUSTOMERNAME", lambda c: f"Shop {c}"),
    ],
)
@pytest.mark.parametrize("row_number", [False, True])
def test_order_lines_are_noticed_from_a_repeating_customer_key(customer, key, row_number) -> None:
    selection = select(order_lines(customer, key, row_number=row_number))
    [note] = [p for p in selection.notes if p.code == "order-lines"]
    assert note.column == customer and note.severity == "warning"
    assert "Build one row per customer" in note.message
    hint = selection.order_lines
    assert hint is not None and hint.customer_column == customer
    assert hint.n_customers <= 40 and hint.n_rows == 300
    assert hint.date_column == "Date" and {"Quantity", "Price"} <= set(hint.amount_columns)
    assert selection.excluded[customer] == roles.CUSTOMER_KEY_REPEATING


def test_one_row_per_customer_is_not_order_lines() -> None:
    ids = [f"C{i}" for i in range(N)]
    selection = select({"customer_id": ids, **measures(N)})
    assert selection.order_lines is None
    assert "order-lines" not in {p.code for p in selection.notes}


@pytest.mark.parametrize(
    ("name", "values"),
    [
        ("Member", ["Yes", "No"]),
        ("Customer", ["New", "Returning"]),
        ("Client", ["person", "company", "public"]),
    ],
)
def test_a_customer_named_category_is_not_a_repeating_key(name: str, values: list[str]) -> None:
    selection = select({name: values * 40, **measures(len(values) * 40)})
    assert selection.order_lines is None
    assert name in selection.categorical


def test_an_unnamed_index_of_a_sorted_table_is_a_row_number() -> None:
    index = np.random.default_rng(4).permutation(N).tolist()
    data = ",Age,Income\n" + "".join(f"{i},{20 + i % 50},{1000 + 37 * i % 900}\n" for i in index)
    selection = choose_features(load(data.encode()).columns)
    [name] = list(selection.excluded)
    assert selection.excluded[name] == roles.ROW_NUMBER


def test_one_normaliser_for_feature_roles_and_order_line_roles() -> None:
    """Accents, case and punctuation go, in any alphabet, for every role rule (issue 22)."""
    assert roles.column_key("Müşteri No") == "musterino" == roles.column_key("MUSTERI_NO")
    assert roles.column_key("Número de pedido") == "numerodepedido"
    assert roles.column_key("Номер заказа") == "номерзаказа"
    assert roles.order_role_score("Käufer", "customer") == 2  # "kaufer"
    assert roles.order_role_score("Müşteri No", "customer") == 1
    assert roles.order_role_score("ORDERDATE", "order") == 0  # a date is not the order id
