"""Command line: `python -m loaders build|template|import-actuals|add-user|backup|restore|calendar|reminders …`.

The parser is built from loaders.cli_parsers, which imports no pandas, DuckDB or openpyxl: `--help` and
argument errors answer at once, and each command imports what it needs when it runs.
"""

from __future__ import annotations

import sys

from loaders.cli_parsers import build_parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
