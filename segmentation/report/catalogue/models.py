"""The command line's options, model files and scoring."""

from ..kinds import Kind

KINDS = (
    Kind(
        "bad-option",
        "error",
        "Bad option",
        "{detail}",
    ),
    Kind(
        "bad-setting",
        "error",
        "Bad setting",
        "{what} must be {rule} (got {value!r}).",
    ),
    # ---- model files and scoring
    Kind(
        "model-not-skops",
        "error",
        "Not a model file",
        "{name} is not a model file saved by this tool (skops format){hint}. It was not opened: "
        "pickle and joblib files can run code when opened, so they are refused.",
    ),
    Kind(
        "model-untrusted",
        "error",
        "Model file refused",
        "{name} holds types a model file may not hold ({types}). It was not opened, and nothing in it ran.",
    ),
    Kind(
        "model-unreadable",
        "error",
        "Model file unreadable",
        "{name} cannot be read as a model file: {reason}. Save the model again.",
    ),
    Kind(
        "model-feature-missing",
        "error",
        "Feature missing",
        "The file has no column for the model's feature {column!r} (any spelling is accepted, e.g. "
        "{example!r}). Its columns are: {columns}.",
    ),
    Kind(
        "model-feature-not-numeric",
        "error",
        "Feature not numeric",
        "Column {column!r} should hold numbers for the model, but most of its cells are not numbers.",
    ),
    Kind(
        "extra-columns",
        "info",
        "Columns not used by the model",
        "Not used by the model, ignored: {columns}.",
    ),
    Kind(
        "unknown-category-scored",
        "warning",
        "Categories the model has not seen",
        "{column}: {cells} a value the model has not seen, e.g. {examples}; these customers are scored "
        "with no category.",
    ),
    Kind(
        "rows-not-scored",
        "warning",
        "Customers not scored",
        "{n:,} customers could not be scored ({reason}); their segment is empty and segment_note says why.",
    ),
)
