"""Customer segmentation core: read real files, choose features, KMeans, profiles, export.

Pure Python on pandas, NumPy, pyarrow and scikit-learn; the dashboard and the
command line are thin layers over this package, organised in subpackages by job
(``io``, ``prepare``, ``model``, ``orders``, ``reuse``, ``scale``, ``report``,
``runtime``, ``cli``). The public API is listed once, in ``__init__.pyi``: type
checkers read that stub, and this module reads it too, so that names are
imported on first use and ``python -m segmentation --help`` starts without
loading scikit-learn (the same idea as ``lazy_loader.attach_stub``).
"""

import ast
from importlib import import_module
from pathlib import Path
from typing import Any


def _exports_of_stub() -> dict[str, str]:
    """Each public name mapped to the module (relative to this package) that defines it."""
    tree = ast.parse((Path(__file__).parent / "__init__.pyi").read_text(encoding="utf-8"))
    return {
        alias.asname or alias.name: node.module
        for node in tree.body
        if isinstance(node, ast.ImportFrom) and node.level == 1 and node.module
        for alias in node.names
    }


_EXPORTS = _exports_of_stub()
__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'segmentation' has no attribute {name!r}")
    value = getattr(import_module(f".{module}", __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
