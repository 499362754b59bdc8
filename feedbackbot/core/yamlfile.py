"""Reading the data files with libyaml's C parser where PyYAML has it: several times faster to start."""

from __future__ import annotations

from typing import Any

import yaml

# PyYAML's wheels carry libyaml; the pure-Python loader is the fallback, with the same results.
SafeLoader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def safe_load(stream: str | bytes) -> Any:
    """Parse YAML like yaml.safe_load, with the C loader when there is one."""
    return yaml.load(stream, Loader=SafeLoader)


def compose(stream: str | bytes) -> yaml.Node | None:
    """The node tree (with line numbers, for error messages), with the C loader when there is one."""
    return yaml.compose(stream, Loader=SafeLoader)
