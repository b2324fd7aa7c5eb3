"""The order the suite runs in: files of the slow tiers first.

pytest-xdist (``--dist loadfile``) hands whole files to its workers in the order they were
collected. Collected by folder name, the browser and serving files, which take minutes each,
came last and left one worker running them while the others had finished. First the tiers that
start servers and browsers, each tier's larger files before its smaller ones, and the many quick
unit and AppTest files last, where they fill the gaps.
"""

from __future__ import annotations

from pathlib import Path

TIERS_FIRST_TO_LAST = ("browser", "serving", "models", "app", "unit")
TESTS = Path(__file__).resolve().parent


def pytest_collection_modifyitems(session, config, items) -> None:
    by_file: dict[Path, list] = {}
    for item in items:
        by_file.setdefault(Path(item.path), []).append(item)

    def order(path: Path) -> tuple[int, int]:
        tier = path.relative_to(TESTS).parts[0] if path.is_relative_to(TESTS) else ""
        rank = TIERS_FIRST_TO_LAST.index(tier) if tier in TIERS_FIRST_TO_LAST else len(TIERS_FIRST_TO_LAST)
        return rank, -len(by_file[path])

    items[:] = [item for path in sorted(by_file, key=order) for item in by_file[path]]
