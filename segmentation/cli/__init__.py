"""Customer segments from the shell: generate, segment, score, choose-k and customers.

Bad input ends with one clear line on stderr and exit code 2, never a
traceback; success exits 0. Each command is a module of this package with an
``add_parser`` and a ``run`` (as CleverCSV's ``console/commands``).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from ..i18n import LANGUAGES, language_from_environment, use_language
from ..report.errors import SegmentationError
from ..report.text import terminal_text
from ..runtime.memory import give_freed_memory_back
from . import choose_k, customers, generate, score
from . import segment as segment_command
from .common import EXIT_BAD_INPUT, EXIT_FAILURE, Parser

COMMANDS = (generate, segment_command, score, choose_k, customers)


def program_name() -> str:
    """How the person started us: ``segmentation`` (the installed command) or ``python -m segmentation``."""
    command = Path(sys.argv[0]).name if sys.argv and sys.argv[0] else ""
    return (
        command
        if command and command != "__main__.py" and not command.startswith("-")
        else "python -m segmentation"
    )


def build_parser() -> argparse.ArgumentParser:
    parser = Parser(prog=program_name(), description=__doc__.splitlines()[0])
    parser.add_argument(
        "--lang",
        choices=LANGUAGES,
        help="language of the messages (default: from LANG / LC_ALL / LC_MESSAGES / LANGUAGE, else en)",
    )
    commands = parser.add_subparsers(dest="command", required=True, parser_class=Parser)
    for command in COMMANDS:
        command.add_parser(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    with use_language(args.lang or language_from_environment()):
        return _run(args)


def _run(args: argparse.Namespace) -> int:
    give_freed_memory_back()
    try:
        return args.run(args)
    except SegmentationError as exc:
        print(f"error: {terminal_text(exc)}", file=sys.stderr)
    except OSError as exc:
        print(f"error: cannot write {exc.filename or 'the output'}: {exc.strerror or exc}", file=sys.stderr)
    except KeyboardInterrupt:
        print("error: interrupted", file=sys.stderr)
    except Exception as exc:  # a bug of ours: still one line, never a traceback
        print(f"error: unexpected failure ({type(exc).__name__}: {exc}); please report it", file=sys.stderr)
        return EXIT_FAILURE
    return EXIT_BAD_INPUT
