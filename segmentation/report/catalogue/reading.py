"""Reading a file: missing, unreadable, too large, undecodable, unparseable."""

from ..kinds import Kind

KINDS = (
    Kind("file-missing", "error", "File not found", "Cannot open {path!r}: {reason}."),
    Kind("file-unreadable", "error", "File not readable", "Cannot read {path!r}: {reason}."),
    Kind(
        "file-too-large",
        "error",
        "File too large",
        "The file is {size_mb:,.0f} MB, more than the limit of {limit_mb:,.0f} MB. "
        "Keep only the columns you need, or split the file.",
    ),
    Kind(
        "file-empty",
        "error",
        "Empty file",
        "The file is empty. Choose a CSV export with a header row and one row per customer.",
    ),
    Kind(
        "excel-workbook",
        "error",
        "Excel workbook",
        "This looks like an Excel workbook, not a CSV file. "
        "In Excel choose File › Save As › CSV, then upload the CSV.",
    ),
    Kind(
        "binary-file",
        "error",
        "Not a text file",
        "This file does not look like a CSV text file (it contains binary data). "
        "Export your customer table as CSV (comma- or semicolon-separated) and upload that.",
    ),
    Kind(
        "no-header",
        "error",
        "No header row",
        "The file has no header row. Put the column names in the first line and try again.",
    ),
    Kind(
        "no-rows",
        "error",
        "No customer rows",
        "The file has a header row but no customer rows. "
        "Export the table again with its data, one row per customer.",
    ),
    Kind(
        "unclosed-quote",
        "error",
        "Unreadable table",
        "The file cannot be read as a table near line {line} ({detail}). "
        'This usually means a quote (") opens a cell that is never closed. '
        "Check that line, or export the file again as CSV.",
    ),
    Kind(
        "runaway-quote",
        "error",
        "A quote left open",
        'A quote (") opens a cell on line {line} that runs on over {n_lines:,} lines, {n_like_rows:,} of '
        "them shaped like rows of the table: the quote is probably never closed, and those rows would "
        "be read as one cell. Fix the quote on that line, or choose to read quotes as ordinary characters.",
    ),
    Kind(
        "unknown-encoding",
        "error",
        "Unknown encoding",
        "{name!r} is not the name of a text encoding. Use a name such as: {choices}.",
    ),
    Kind(
        "encoding-mismatch",
        "error",
        "Wrong encoding",
        "The file cannot be read as {encoding} (byte {position:,} is not valid in it). "
        "Choose another encoding, or let it be detected.",
    ),
)
