"""Order lines: building one row per customer."""

from ..kinds import Kind

KINDS = (
    Kind(
        "orders-no-mapping",
        "error",
        "Not order lines",
        "No customer column and date column were found, so this file cannot be summarised per customer. "
        "Name the customer column and the date column.",
    ),
    Kind(
        "orders-quantity-price",
        "error",
        "Quantity without price",
        "A line's value needs both a quantity and a unit price column (or one amount column).",
    ),
    Kind(
        "orders-not-numbers",
        "error",
        "Not numbers",
        "The {role} column {column!r} does not hold numbers. Choose another column for the {role}.",
    ),
    Kind(
        "orders-not-dates",
        "error",
        "Not dates",
        "Most cells of {column!r} are not dates (e.g. {examples}). Choose the column with the order dates.",
    ),
    Kind(
        "orders-no-lines",
        "error",
        "No order line",
        "No order line has both a customer ({customer!r}) and a date ({date!r}) and is a purchase, "
        "so there is no customer to summarise.",
    ),
    Kind(
        "orders-bad-as-of",
        "error",
        "Bad reference date",
        "The reference date {value!r} is not a date; write it as YYYY-MM-DD.",
    ),
    Kind(
        "orders-no-shared-key",
        "error",
        "Tables that do not join",
        "The {table} table shares no key column with the order lines (its columns: {columns}). "
        "It needs a column of the same name whose values identify its rows, such as an order id.",
    ),
    Kind(
        "orders-missing-table",
        "error",
        "A table is missing",
        "These order lines name their order ({order!r}) but not its customer or date: those are in "
        "the orders table of the same export (order id, customer id, purchase date). Give that table too.",
    ),
    Kind("orders-dates-read", "info", "Order dates", "{column}: {how}."),
    Kind(
        "orders-order-level",
        "info",
        "Order-level fields",
        "{n:,} empty cells of the order, customer, date or status columns were read from their order's first "
        "line (or, for lines without an order id, from the order above them): the export writes "
        "order-level fields there only (nothing was estimated).",
    ),
    Kind(
        "orders-utc-offset",
        "info",
        "Times with a UTC offset",
        "{column}: the UTC offsets after the times (such as -0500) were set aside; each order counts on "
        "the date written, the shop's own.",
    ),
    Kind(
        "orders-blank-lines",
        "warning",
        "Blank lines",
        "{n:,} lines have every cell empty; they are left out.",
    ),
    Kind(
        "orders-no-key",
        "warning",
        "Lines without a customer",
        "{n:,} order lines have no customer in {column!r} (an empty cell or a placeholder such as "
        "'NA', 'null' or 'unknown'); they are left out of the customers.",
    ),
    Kind(
        "orders-no-date",
        "warning",
        "Lines without a date",
        "{n:,} order lines have no readable {column!r} date ({examples}); they are left out.",
    ),
    Kind(
        "orders-cancelled",
        "warning",
        "Cancelled orders",
        "{n:,} order lines are cancelled or returned according to {column!r}: they are not counted as "
        "orders and their amount ({amount:,.2f}) is not counted in monetary.",
    ),
    Kind(
        "orders-returns",
        "warning",
        "Returns and credit notes",
        "{n:,} order lines are returns or credit notes (invoice starting with C, or a negative quantity "
        "or amount): they are not counted as orders and their amount ({amount:,.2f}) is subtracted "
        "from monetary.",
    ),
    Kind(
        "orders-only-returns",
        "warning",
        "Customers without a purchase",
        "{n:,} customers have only cancellations or returns ({n_lines:,} lines); they are left out.",
    ),
    Kind(
        "orders-no-amount",
        "info",
        "No amounts",
        "The file has no amount column (nor quantity and unit price): monetary value and average order "
        "value are left out.",
    ),
    Kind(
        "orders-amount-missing",
        "warning",
        "Lines without an amount",
        "{n:,} order lines have no amount; they count as orders with a value of 0.",
    ),
)
