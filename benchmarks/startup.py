"""Whole-process times of the CLI, best of 5, beside the alex CLI (npm `alex`) in the same run.

    python -m benchmarks startup [--alex PATH]

Times `feedbackbot --help`, `glossary check` on a 1 KB note and on 1 MB, `timescales`, and
`chat classify` on one message (the semantic model's start and time per message), against the
interpreter starting and doing nothing, and alex checking the same files. alex is looked for at
--alex, $FEEDBACKBOT_ALEX, on PATH, then in ~/.cache/feedbackbot-alex (install it there, outside
the repository, with `npm install --prefix ~/.cache/feedbackbot-alex alex`); when it is not
found the comparison is skipped and the output says so. Also checks that `glossary check` loads
neither Flask, SQLAlchemy, NLTK, numpy nor onnxruntime.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.glossary import generate

HEAVY = ("flask", "sqlalchemy", "nltk", "numpy", "onnxruntime")
TARGETS = {"help_ms": 150, "ratio_1kb": 0.25, "ratio_1mb": 0.10}


def find_alex(given: str | None) -> str | None:
    """The alex CLI, if installed somewhere we are told of or can see (never inside the repository)."""
    for candidate in (
        given,
        os.environ.get("FEEDBACKBOT_ALEX"),
        shutil.which("alex"),
        str(Path.home() / ".cache" / "feedbackbot-alex" / "node_modules" / ".bin" / "alex"),
    ):
        if candidate and Path(candidate).is_file() and os.access(candidate, os.X_OK):
            return candidate
    return None


def feedbackbot_command() -> list[str]:
    """The installed `feedbackbot` script beside this interpreter, else `python -m feedbackbot`."""
    script = Path(sys.executable).with_name("feedbackbot")
    return [str(script)] if script.is_file() else [sys.executable, "-m", "feedbackbot"]


def best_of(command: list[str], env: dict[str, str], repeat: int, stdin: str | None = None) -> float:
    """Best wall time of `repeat` whole runs (after one warm-up run that fills the caches), seconds."""
    times = []
    for attempt in range(repeat + 1):
        start = time.perf_counter()
        subprocess.run(
            command, env=env, input=stdin, capture_output=True, text=True, timeout=300, check=False
        )
        if attempt:
            times.append(time.perf_counter() - start)
    return min(times)


def heavy_modules(env: dict[str, str], path: Path) -> list[str]:
    """Which of HEAVY a `glossary check` process imported."""
    probe = (
        "import atexit, sys\n"
        f"atexit.register(lambda: sys.stderr.write('MODULES ' + ' '.join(m for m in {HEAVY!r} if m in sys.modules)))\n"
        "from feedbackbot.cli import main\n"
        f"main(['glossary', 'check', {str(path)!r}])\n"
    )
    done = subprocess.run([sys.executable, "-c", probe], env=env, capture_output=True, text=True, timeout=120)
    line = [part for part in done.stderr.splitlines() if part.startswith("MODULES")]
    return line[-1].split()[1:] if line else ["(probe failed)"]


def semantic_per_message(instance: str) -> float:
    """Median CPU time (one core) the semantic model takes to read a message for risk and kind (s).

    CPU time of this thread, so that other work on the machine does not count.
    """
    from benchmarks.understanding import _load
    from feedbackbot.core.understanding import load_understanding
    from feedbackbot.services.config import bundled

    understanding = load_understanding(bundled(), cache_dir=Path(instance) / "cache")
    messages = [k["text"] for k in _load("evaluation", "kinds.yaml")["messages"]][:200]
    times = []
    for text in messages:
        start = time.thread_time()
        understanding.assess_risk(text)
        understanding.classify(text)
        times.append(time.thread_time() - start)
    return sorted(times)[len(times) // 2]


def run(argv: list[str] | None = None, quick: bool = False) -> None:
    """Print the figures (`quick`: one run each on 20 KB, for the test that keeps this runnable)."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks startup")
    parser.add_argument("--alex", help="path of the alex CLI")
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args(argv or [])
    repeat = 1 if quick else args.repeat
    alex = find_alex(args.alex)
    feedbackbot = feedbackbot_command()
    with tempfile.TemporaryDirectory() as folder:
        env = {k: v for k, v in os.environ.items() if not k.startswith("FEEDBACKBOT_")}
        env["FEEDBACKBOT_INSTANCE_PATH"] = folder
        if os.environ.get("FEEDBACKBOT_CACHE_DIR"):
            env["FEEDBACKBOT_CACHE_DIR"] = os.environ["FEEDBACKBOT_CACHE_DIR"]
        small, big = Path(folder) / "note-1kb.txt", Path(folder) / "notes-1mb.txt"
        small.write_text(generate(4_000)[:1024], encoding="utf-8")
        big.write_text(generate(20_000 if quick else 1_000_000), encoding="utf-8")
        big_label = "20 KB" if quick else "1 MB"
        figures = {
            "python -c pass (interpreter start)": best_of([sys.executable, "-c", "pass"], env, repeat),
            "feedbackbot --help": best_of([*feedbackbot, "--help"], env, repeat),
            "feedbackbot glossary check, 1 KB": best_of(
                [*feedbackbot, "glossary", "check", str(small)], env, repeat
            ),
            f"feedbackbot glossary check, {big_label}": best_of(
                [*feedbackbot, "glossary", "check", str(big)], env, repeat
            ),
            "feedbackbot timescales": best_of(
                [
                    *feedbackbot,
                    "timescales",
                    "--procedure",
                    "statutory",
                    "--stage",
                    "1",
                    "--received",
                    "2026-11-20",
                ],
                env,
                repeat,
            ),
        }
        if not quick:  # the semantic model's start (whole process), and its time per message
            figures["feedbackbot chat classify, 1 message"] = best_of(
                [*feedbackbot, "chat", "classify", "-"], env, repeat, "my dad hits me\n"
            )
            per_message = semantic_per_message(folder)
        if alex:
            figures["alex, 1 KB"] = best_of([alex, str(small)], env, repeat)
            figures[f"alex, {big_label}"] = best_of([alex, str(big)], env, repeat)
        loaded = heavy_modules(env, small)
    print(f"best of {repeat} whole runs; load average {' '.join(f'{v:.2f}' for v in os.getloadavg())}")
    for label, seconds in figures.items():
        print(f"  {label:44} {seconds * 1000:8.1f} ms")
    if not quick:
        print(
            f"  semantic model per message (risk + kind, median CPU, in-process) {per_message * 1000:6.1f} ms"
        )
    none = "none of " + ", ".join(HEAVY)
    print(f"glossary check imported: {', '.join(loaded) or none}")
    help_ms = figures["feedbackbot --help"] * 1000
    print(
        f"target --help under {TARGETS['help_ms']} ms: {'met' if help_ms < TARGETS['help_ms'] else 'MISSED'}"
    )
    if not alex:
        print(
            "ratio to alex: not measured: alex not found (npm install --prefix ~/.cache/feedbackbot-alex alex)"
        )
        return
    for size, target in (("1 KB", TARGETS["ratio_1kb"]), (big_label, TARGETS["ratio_1mb"])):
        ratio = figures[f"feedbackbot glossary check, {size}"] / figures[f"alex, {size}"]
        print(
            f"ratio glossary check / alex, {size}: {ratio:.3f} (target at most {target:g}: "
            f"{'met' if ratio <= target else 'MISSED'})"
        )
