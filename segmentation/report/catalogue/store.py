"""Saved segmentations (the store), migration between periods and history."""

from ..kinds import Kind

KINDS = (
    Kind(
        "store-unreadable",
        "error",
        "Store unreadable",
        "{store} is not a database this tool can read ({reason}). Nothing in it was changed. "
        "Point the store at another file or folder, or restore the file from a backup.",
    ),
    Kind(
        "store-foreign",
        "error",
        "Not a store of saved segmentations",
        "{store} is a database of something else (it holds tables such as {tables}). It was left as "
        "it is. Point the store at an empty or new file instead.",
    ),
    Kind(
        "store-newer",
        "error",
        "Store from a newer version",
        "{store} was written by a newer version of this tool (schema version {found}; this one knows "
        "up to {known}). It was left as it is. Update this tool to use it.",
    ),
    Kind(
        "store-unreachable",
        "error",
        "Store unreachable",
        "The store at {store} cannot be reached ({reason}). Nothing was saved or changed. Check that "
        "the database server runs and the address is right.",
    ),
    Kind(
        "store-bad-url",
        "error",
        "Bad store address",
        "{store} is not a database address this tool can use ({reason}). Use a folder for a local "
        "store or a URL such as postgresql+psycopg://user@host/database.",
    ),
    Kind(
        "store-failed",
        "error",
        "Not saved",
        "The store could not {action} ({reason}). Nothing was changed: what was saved before is as it was.",
    ),
    Kind(
        "saved-name-taken",
        "error",
        "Name taken",
        "A saved segmentation is already called {name!r}. Choose another name, or delete or rename "
        "the saved one first.",
    ),
    Kind(
        "saved-name-empty",
        "error",
        "Name missing",
        "A saved segmentation needs a name (up to {limit} characters).",
    ),
    Kind(
        "saved-not-found",
        "error",
        "Not saved",
        "No saved segmentation is called {name!r}. Saved ones: {names}.",
    ),
    Kind(
        "saved-newer",
        "error",
        "Saved by a newer version",
        "{name!r} was saved by a newer version of this tool (format {found}; this one reads up to "
        "{known}). It was left as it is. Update this tool to open it.",
    ),
    Kind(
        "saved-damaged",
        "error",
        "Saved item damaged",
        "{name!r} cannot be read back ({reason}). Other saved segmentations are not affected.",
    ),
    Kind(
        "saved-no-customers",
        "error",
        "No customers saved",
        "{name!r} was saved without its customers{why}, so it cannot be compared customer by "
        "customer. Save the segmentation again with its customers.",
    ),
    Kind(
        "migration-no-overlap",
        "error",
        "No customer in common",
        "No customer key of {old!r} ({n_old:,} customers) appears in {new!r} ({n_new:,} customers), so "
        "nobody can be followed between them. Keys are compared exactly as written (e.g. {example_old!r} "
        "and {example_new!r}); check that both use the same customer ID column.",
    ),
    Kind(
        "migration-no-segment",
        "error",
        "Unknown segment",
        "{label} has no segment {segment}; its segments are {segments}.",
    ),
    Kind(
        "history-too-short",
        "error",
        "Not enough periods",
        "The history of a model needs at least one saved segmentation of it; none of {name!r}'s line "
        "was found.",
    ),
)
