"""Run the benchmarks: `python -m benchmarks` for all, or name some: `python -m benchmarks glossary`."""

from __future__ import annotations

import argparse
import importlib
import sys

BENCHMARKS = {
    "glossary": "benchmarks.glossary",
    "chat": "benchmarks.chat",
    "clock": "benchmarks.clock",
    "understanding": "benchmarks.understanding",
    "slack_hang": "benchmarks.slack_hang",
    "languages": "benchmarks.languages",
    "load": "benchmarks.load",
    "startup": "benchmarks.startup",
    "reports": "benchmarks.reports",
    "themes": "benchmarks.themes",
}
# Run only when named: `load` needs a served instance (--url), `startup` times whole processes.
NOT_BY_DEFAULT = {"load", "startup"}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__)
    parser.add_argument("names", nargs="*", help=f"benchmarks to run: {', '.join(BENCHMARKS)}")
    args, options = parser.parse_known_args(argv)
    names = args.names or [n for n in BENCHMARKS if n not in NOT_BY_DEFAULT]
    unknown = [n for n in names if n not in BENCHMARKS]
    if unknown:
        parser.error(f"unknown benchmark(s): {', '.join(unknown)}")
    for name in names:
        print(f"== {name}")
        module = importlib.import_module(BENCHMARKS[name])
        if options:  # e.g. `understanding --misses`: options for the one benchmark named
            module.run(argv=options)
        else:
            module.run()
        print()
    return 0


if __name__ == "__main__":
    sys.exit(main())
