"""Local targets: a red/amber/green status for each measure against the council's own target.

Targets live in a YAML file the council keeps (``--targets`` or ``careboard-targets.yaml``):

    placements_3_plus: {target: 9, amber: 2}     # low is good: green <= 9, amber <= 11, red above
    long_term_stability: {target: 70, amber: 5}  # high is good: green >= 70, amber >= 65

``amber`` is how far on the wrong side of the target still counts as amber (default 0).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml

DEFAULT_FILE = Path("careboard-targets.yaml")


class TargetsError(ValueError):
    """A targets file that cannot be used."""


@dataclass(frozen=True)
class Target:
    target: float
    amber: float = 0.0


def load_targets(path: Path | None, known: set[str]) -> dict[str, Target]:
    """Targets from ``path`` (or the default file if present); every measure must be known."""
    if path is None:
        if not DEFAULT_FILE.exists():
            return {}
        path = DEFAULT_FILE
    try:
        data = yaml.safe_load(path.read_text("utf-8")) or {}
    except UnicodeDecodeError:
        raise TargetsError(f"cannot read targets file {path}: it is not UTF-8 text (expected YAML)") from None
    except (OSError, yaml.YAMLError) as exc:
        raise TargetsError(f"cannot read targets file {path}: {exc}") from None
    if not isinstance(data, dict):
        raise TargetsError(f"{path}: expected one entry per measure ('measure_id:' then 'target: <number>'), "
                           f"found {type(data).__name__}")
    targets: dict[str, Target] = {}
    for measure, spec in data.items():
        if measure not in known:
            raise TargetsError(f"{path}: {measure!r} is not a careboard measure")
        try:
            targets[measure] = Target(float(spec["target"]), float(spec.get("amber", 0)))
        except (TypeError, KeyError, ValueError):
            raise TargetsError(
                f"{path}: {measure} needs 'target: <number>' (and optionally 'amber: <number>')"
            ) from None
    return targets


def status(value: float | None, polarity: str | None, target: Target | None) -> str | None:
    """'green', 'amber' or 'red'; None when there is no target, value or direction."""
    if target is None or value is None or polarity is None:
        return None
    shortfall = target.target - value if polarity == "high" else value - target.target
    if shortfall <= 0:
        return "green"
    return "amber" if shortfall <= target.amber else "red"
