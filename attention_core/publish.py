"""Publish a visitor's private model to everyone, or list the private models of a server.

A model trained on the Train page is private to the browser session that trained it
(``models/.private/SESSION/NAME``, ``attention_core.data.models_folder``). The server's operator
copies one into the models folder, where every visitor's model menu lists it:

    python -m attention_core.publish --list
    python -m attention_core.publish NAME --from SESSION [--as NEW_NAME] [--replace]

SESSION is the 32-digit id the Train page shows its visitor (or the path of its folder). A
published model of the same name is replaced only with ``--replace``; the private one stays.
"""

from __future__ import annotations

import argparse
import datetime
from pathlib import Path

from attention_core.data import models_folder


def session_folder(source: str) -> Path:
    """The private folder ``source`` names: a session id, or the path of its folder."""
    path = Path(source).expanduser()
    if path.is_dir():
        return path
    return models_folder.private_dir(source.strip())


def listing() -> list[str]:
    """One line per private model: its session, its name, when it was written."""
    root = models_folder.models_dir() / models_folder.PRIVATE_DIR
    folders = sorted(root.iterdir()) if root.is_dir() else []
    sessions = [p.name for p in folders if models_folder.SESSION_PATTERN.match(p.name)]
    lines = []
    for session in sessions:
        for key in models_folder.private_models(session):
            written = datetime.datetime.fromtimestamp(models_folder.config_stamp(key) / 1e9).isoformat(" ", "seconds")
            lines.append(f"{session}  {models_folder.shown_name(key)}  {written}")
    return lines


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("name", nargs="?", help="the private model's name")
    parser.add_argument("--from", dest="source", help="the session id the Train page shows, or its folder's path")
    parser.add_argument("--as", dest="as_name", default=None, help="publish under another name")
    parser.add_argument("--replace", action="store_true", help="replace a published model of that name")
    parser.add_argument("--list", action="store_true", help="list the private models: session, name, written")
    args = parser.parse_args(argv)
    if args.list:
        print("\n".join(listing()) or f"no private models in {models_folder.models_dir()}")
        return
    if args.name is None or args.source is None:
        parser.error("give the model's NAME and --from SESSION (or --list)")
    try:
        folder = models_folder.publish_copy(
            session_folder(args.source), args.name, as_name=args.as_name, replace=args.replace
        )
    except (ValueError, FileExistsError) as error:
        raise SystemExit(str(error)) from None
    print(f"published {folder}: every visitor's model menu lists {folder.name!r}")


if __name__ == "__main__":
    main()
