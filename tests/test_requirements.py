"""Every third-party package the product imports is declared in requirements.txt (Spark: requirements-spark.txt)."""

from __future__ import annotations

import ast
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PRODUCT = [
    ROOT / "app.py",
    *sorted((ROOT / "segmentation").rglob("*.py")),
    *sorted((ROOT / "ui").rglob("*.py")),
    *sorted((ROOT / "pages").glob("*.py")),
]
# Import names whose distribution on PyPI has another name.
DISTRIBUTION = {"sklearn": "scikit-learn", "python_calamine": "python-calamine"}
LOCAL = {"segmentation", "ui", "pages", "bench", "tests"}


def imported_packages(paths: list[Path]) -> set[str]:
    """Top-level names of absolute imports (at any depth of the code, lazy ones included)."""
    names: set[str] = set()
    for path in paths:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names.update(alias.name.split(".")[0] for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names.add(node.module.split(".")[0])
    return names - set(sys.stdlib_module_names) - LOCAL - {"__future__"}


def declared(requirements: Path) -> set[str]:
    names = set()
    for line in requirements.read_text().splitlines():
        line = line.split("#")[0].strip()
        if line and not line.startswith("-"):
            names.add(re.split(r"[<>=!~\[; ]", line, maxsplit=1)[0].lower())
    return names


def test_every_imported_package_is_declared() -> None:
    imported = {DISTRIBUTION.get(name, name).lower() for name in imported_packages(PRODUCT)}
    assert {"pandas", "numpy", "scikit-learn", "scipy", "streamlit"} <= imported  # the scan sees imports
    # pyspark is the optional extra: declared in requirements-spark.txt, imported only by segmentation.scale.spark.
    missing = imported - declared(ROOT / "requirements.txt") - declared(ROOT / "requirements-spark.txt")
    assert not missing, f"imported but not in requirements.txt: {sorted(missing)}"


def test_the_scan_finds_an_undeclared_import(tmp_path: Path) -> None:
    module = tmp_path / "m.py"
    module.write_text("import os\nfrom sklearn.cluster import KMeans\n\ndef f():\n    import yaml\n")
    assert imported_packages([module]) == {"sklearn", "yaml"}
