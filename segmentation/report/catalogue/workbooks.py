"""Workbooks and zip containers: refused before they can take the server's memory."""

from ..kinds import Kind

KINDS = (
    # ---- any zip (workbooks, model files)
    Kind(
        "zip-too-large",
        "error",
        "File unpacks too large",
        "{name} would unpack to {size_mb:,.0f} MB, more than the limit of {limit_mb:,.0f} MB, so it was "
        "not opened. Keep only the sheets and columns you need, or split the file.",
    ),
    Kind(
        "zip-too-many",
        "error",
        "File has too many parts",
        "{name} holds {count:,} packed parts, more than the limit of {limit:,}, so it was not opened. "
        "Save it again from the program that made it.",
    ),
    Kind(
        "zip-ratio",
        "error",
        "Packed beyond belief",
        "{name} was not opened: its part {member!r} unpacks to {ratio:,.0f} times its packed size "
        "(more than {limit:,.0f} times), as a zip bomb does. Save the file again from the program "
        "that made it.",
    ),
    Kind(
        "zip-size-mismatch",
        "error",
        "File lies about its size",
        "{name} was not opened: its part {member!r} unpacks to more than the {size:,} bytes it declares, "
        "so the file is damaged or made to exhaust memory. Save it again from the program that made it.",
    ),
    Kind(
        "zip-damaged",
        "error",
        "Damaged file",
        "{name} cannot be unpacked ({reason}). Save it again from the program that made it.",
    ),
    # ---- workbooks
    Kind(
        "workbook-unreadable",
        "error",
        "Workbook unreadable",
        "The workbook cannot be read ({reason}). Open it in Excel or LibreOffice, save it again as "
        ".xlsx, and try again.",
    ),
    Kind(
        "workbook-password",
        "error",
        "Workbook protected",
        "The workbook is protected by a password. Save a copy without the password and use that.",
    ),
    Kind(
        "workbook-no-such-sheet",
        "error",
        "No such sheet",
        "The workbook has no sheet named {sheet!r}. Its sheets: {sheets}.",
    ),
    Kind(
        "workbook-no-table",
        "error",
        "No table in the workbook",
        "No sheet of the workbook holds a table with a header row and customer rows (sheets: {sheets}).",
    ),
    Kind(
        "workbook-too-large",
        "error",
        "Sheet too large",
        "Reading {sheet} needs more memory than a file of this size may take "
        "(over {limit_mb:,.0f} MB): its cells are spread over a far larger area than they fill, or the "
        "file is made to exhaust memory. Copy the table alone to a new workbook and use that.",
    ),
)
