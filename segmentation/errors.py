"""The one exception type of the package."""


class SegmentationError(Exception):
    """A problem with the user's data that makes segmentation impossible.

    The message is meant for the person who brought the file: it says what is
    wrong and what to do about it, in plain words, and is safe to show as is.
    Data problems that still allow segmentation are *not* raised: they are
    collected in the validation report instead.
    """
