"""The one exception type of the package."""

from __future__ import annotations

from .findings import CATALOGUE, message


class SegmentationError(Exception):
    """A problem with the user's data that makes segmentation impossible.

    Raised with a code from ``findings.CATALOGUE`` and the fields of its
    template: ``SegmentationError("file-empty")``. The message is meant for the
    person who brought the file: it says what is wrong and what to do about it,
    in plain words, and is safe to show as is. Data problems that still allow
    segmentation are *not* raised: they are collected in the validation report.

    Attributes
    ----------
    code : str
        The stable code of the problem, e.g. ``"file-too-large"``.
    fields : dict
        The values the message was built from.

    Raises
    ------
    ValueError
        When ``code`` is not in the catalogue.

    Examples
    --------
    >>> from segmentation import SegmentationError, load
    >>> try:
    ...     load(b"")
    ... except SegmentationError as error:
    ...     print(error.code)
    file-empty
    """

    def __init__(self, code: str, /, **fields: object) -> None:
        if code not in CATALOGUE:
            raise ValueError(f"unknown finding code {code!r}")
        self.code = code
        self.fields = fields
        super().__init__(message(code, **fields))

    def text(self) -> str:
        """The message in the current language (``str()`` gives the language it was raised in)."""
        return message(self.code, **self.fields)
