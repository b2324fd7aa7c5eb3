"""Where models of a person's own data live, and how they are named, listed and written.

Every such model is one folder named after it, in ``models/`` at the project root or in the
folder ``ATTENTION_EXPLORER_MODELS`` names; the shipped toy English → Chinese model is one
too, in ``attention_core/weights/``. A folder holds:

- ``config.json``: the model's sizes, its score, the training recipe and the data's summary;
- ``source_vocab.json``, ``target_vocab.json``: its tokens, in id order;
- ``weights.npz`` and ``snapshots/step_*.npz`` (untrained to final, as the alignment page replays them);
- ``train.tsv``, ``heldout.tsv``: its pairs, tokenised (references, example sentences, known words);
- ``metrics.json``: the held-out figures.

A folder is written under a hidden name and renamed once complete, so a failed or cancelled
training never leaves a half-written model that is listed.

A model trained on the Train page is private to the browser session that trained it: it lives in
``.private/SESSION/NAME`` under the models folder, where SESSION is an unguessable id the session
holds (``new_session_id``), never a name the visitor chose. The folder is hidden, so ``own_models``
never lists it; in the app such a model is known by its key ``SESSION/NAME`` (``private_key``), which
only its own session can name. ``publish_copy`` (``python -m attention_core.publish``) copies one into
the models folder, for everyone. Nothing here imports TensorFlow:
the pages list models and check names before anything loads.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import shutil
from pathlib import Path

from attention_core.data.pairs import Pair, parse_pharaoh
from attention_core.names import FREE_TEXT_MODEL, SHIPPED_MODEL, WEIGHTS_DIR

MODELS_ENV = "ATTENTION_EXPLORER_MODELS"
PROJECT_MODELS_DIR = Path(__file__).resolve().parents[2] / "models"
SHIPPED_FOLDER_MODELS = ("toy_en_zh",)
"""Shipped models made from a pairs file by ``python -m attention_core.train --data``, kept in WEIGHTS_DIR."""
NAME_PATTERN = re.compile(r"^[a-z0-9][a-z0-9_-]{0,39}$")
RESERVED_NAMES = frozenset(
    {"attention", "no_attention", "dot", "general", "scaled_dot", "location", "toy", FREE_TEXT_MODEL, SHIPPED_MODEL}
)
"""The shipped kinds, the pages' source modes and the shipped model's link name: a model of one's own
cannot take these names."""
COMPLETE_FILE = "config.json"  # written last: a folder without it is not a model
PARTIAL_PREFIX = ".partial-"
PRIVATE_DIR = ".private"  # in the models folder: one folder per session that trained, its models inside
SESSION_PATTERN = re.compile(r"^[0-9a-f]{32}$")  # new_session_id(): 128 random bits, in hex
KEY_SEPARATOR = "/"  # a private model's key: SESSION/NAME (the folder it lives in, under PRIVATE_DIR)


def models_dir() -> Path:
    """The folder of people's own models: ``$ATTENTION_EXPLORER_MODELS``, else ``models/``."""
    configured = os.environ.get(MODELS_ENV, "").strip()
    return Path(configured).expanduser() if configured else PROJECT_MODELS_DIR


def check_name(name: str) -> str:
    """``name`` if it can name a model: 1 to 40 lower-case letters, digits, "_" or "-", starting with
    a letter or digit. No slash, dot or space: a name is never a path."""
    if not isinstance(name, str) or not NAME_PATTERN.match(name):
        raise ValueError(
            "A model name is 1 to 40 lower-case letters, digits, '_' or '-', starting with a letter or digit "
            f"(no slashes, dots or spaces). Received: {str(name)[:80]!r}"
        )
    if name in RESERVED_NAMES or name in SHIPPED_FOLDER_MODELS:
        raise ValueError(f"{name!r} is the name of a shipped model or mode; choose another. Received: {name!r}")
    return name


def new_session_id() -> str:
    """A fresh id for one session's private models: 128 random bits, so no one guesses another's."""
    return secrets.token_hex(16)


def check_session_id(session: str) -> str:
    if not isinstance(session, str) or not SESSION_PATTERN.match(session):
        raise ValueError(f"A session id is 32 hexadecimal digits. Received: {str(session)[:80]!r}")
    return session


def private_dir(session: str) -> Path:
    """The folder of session ``session``'s private models: ``models_dir()/.private/SESSION``."""
    return models_dir() / PRIVATE_DIR / check_session_id(session)


def private_key(session: str, name: str) -> str:
    """The key of session ``session``'s model ``name``: ``SESSION/NAME``, unlike any published name."""
    return f"{check_session_id(session)}{KEY_SEPARATOR}{check_name(name)}"


def split_key(key: str) -> tuple[str | None, str]:
    """``(session, name)`` of a private model's key; ``(None, key)`` for any other model's name."""
    session, separator, name = str(key).partition(KEY_SEPARATOR)
    return (session, name) if separator and SESSION_PATTERN.match(session) else (None, key)


def shown_name(key: str) -> str:
    """The name a person gave the model of ``key`` (a private key without its session)."""
    return split_key(key)[1]


def private_models(session: str) -> list[str]:
    """The keys of session ``session``'s complete private models, sorted by name."""
    folder = private_dir(session)
    if not folder.is_dir():
        return []
    names = sorted(p.name for p in folder.iterdir() if NAME_PATTERN.match(p.name) and is_model_folder(p))
    return [private_key(session, name) for name in names if name not in RESERVED_NAMES]


def is_model(key: str) -> bool:
    """``key`` names a complete model: a published one of ``folder_models()``, or a private one."""
    session, name = split_key(key)
    if session is None:
        return key in folder_models()
    try:
        return is_model_folder(folder_of(key)) and name not in RESERVED_NAMES
    except ValueError:
        return False


def folder_of(name: str) -> Path:
    """The folder of model ``name``: a shipped one in WEIGHTS_DIR, a private one (``SESSION/NAME``) in its
    session's folder, else in ``models_dir()``."""
    if name in SHIPPED_FOLDER_MODELS:
        return WEIGHTS_DIR / name
    session, own = split_key(name)
    if session is not None:
        return private_dir(session) / check_name(own)
    return models_dir() / check_name(name)


def is_model_folder(folder: Path) -> bool:
    return folder.is_dir() and not folder.name.startswith(".") and (folder / COMPLETE_FILE).is_file()


def own_models() -> list[str]:
    """The names of the complete models in ``models_dir()``, sorted."""
    root = models_dir()
    if not root.is_dir():
        return []
    return sorted(p.name for p in root.iterdir() if NAME_PATTERN.match(p.name) and is_model_folder(p))


def folder_models() -> list[str]:
    """Every model made from a pairs file: the shipped ones first, then a person's own."""
    shipped = [name for name in SHIPPED_FOLDER_MODELS if is_model_folder(WEIGHTS_DIR / name)]
    return shipped + [name for name in own_models() if name not in shipped and name not in RESERVED_NAMES]


def read_config(name: str) -> dict:
    folder = folder_of(name)
    if not is_model_folder(folder):
        raise ValueError(f"No model named {name!r}. Available: {folder_models()}")
    return json.loads((folder / COMPLETE_FILE).read_text(encoding="utf-8"))


def config_stamp(name: str) -> int:
    """When model ``name`` was last written (its config.json's mtime in ns; -1 if it is gone): a model
    trained again under its name is another model for every cache keyed by this."""
    try:
        return (folder_of(name) / COMPLETE_FILE).stat().st_mtime_ns
    except FileNotFoundError:
        return -1


def read_vocabulary(name: str, side: str) -> list[str]:
    """The ``side`` ("source" or "target") tokens of model ``name`` in id order (most frequent first
    after the special tokens), read without TensorFlow."""
    if side not in ("source", "target"):
        raise ValueError(f"side must be 'source' or 'target'. Received: {side!r}")
    return json.loads((folder_of(name) / f"{side}_vocab.json").read_text(encoding="utf-8"))


BASELINE_WEIGHTS, BASELINE_METRICS = "no_attention.npz", "no_attention_metrics.json"
"""A model's own baseline without attention (``train --baseline``), in its folder; the metrics are written last."""


def has_baseline(name: str) -> bool:
    """Model ``name`` has its own baseline without attention, complete."""
    folder = folder_of(name)
    return (folder / BASELINE_WEIGHTS).is_file() and (folder / BASELINE_METRICS).is_file()


def read_baseline_metrics(name: str) -> dict:
    path = folder_of(name) / BASELINE_METRICS
    return json.loads(path.read_text(encoding="utf-8")) if path.is_file() else {}


def snapshot_files(name: str) -> list[Path]:
    """The training snapshots of model ``name``, untrained to final, in training order."""
    return sorted((folder_of(name) / "snapshots").glob("step_*.npz"))


def snapshot_pairs_seen(name: str) -> dict[str, int]:
    """Snapshot file name → sentence pairs trained on when it was written (metrics.json's "snapshots")."""
    return {f"step_{snap['step']:05d}.npz": snap["pairs_seen"] for snap in read_metrics(name).get("snapshots", [])}


def read_metrics(name: str) -> dict:
    path = folder_of(name) / "metrics.json"
    return json.loads(path.read_text(encoding="utf-8")) if path.is_file() else {}


def read_tsv_pairs(name: str, split: str) -> list[tuple[tuple[str, ...], tuple[str, ...], str]]:
    """The tokenised ``split`` ("train" or "heldout") pairs of model ``name``: source, target, Pharaoh column."""
    if split not in ("train", "heldout"):
        raise ValueError(f"split must be 'train' or 'heldout'. Received: {split!r}")
    path = folder_of(name) / f"{split}.tsv"
    rows = []
    for line in path.read_text(encoding="utf-8").splitlines():
        columns = line.split("\t")
        rows.append((tuple(columns[0].split()), tuple(columns[1].split()), columns[2] if len(columns) > 2 else ""))
    return rows


def read_held_out_pairs(name: str) -> list[Pair]:
    """Model ``name``'s held-out pairs, with their gold alignment where its data had one."""
    aligned = read_config(name).get("has_alignment", False)
    return [
        Pair(source, target, parse_pharaoh(links) if aligned else None)
        for source, target, links in read_tsv_pairs(name, "heldout")
    ]


def partial_folder(root: Path, name: str) -> Path:
    """A fresh hidden folder in ``root`` to write model ``name`` into before it is complete."""
    root.mkdir(parents=True, exist_ok=True)
    folder = root / f"{PARTIAL_PREFIX}{name}-{os.getpid()}"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir()
    return folder


def publish(partial: Path, root: Path, name: str) -> Path:
    """Rename a complete ``partial`` folder to ``root/name``, replacing an older model of that name."""
    if not (partial / COMPLETE_FILE).is_file():
        raise ValueError(f"{partial} has no {COMPLETE_FILE}: it is not a complete model")
    final = root / name
    if final.exists():
        old = root / f"{PARTIAL_PREFIX}old-{name}-{os.getpid()}"
        final.rename(old)
        partial.rename(final)
        shutil.rmtree(old, ignore_errors=True)
    else:
        partial.rename(final)
    return final


def publish_copy(source: Path, name: str, *, as_name: str | None = None, replace: bool = False) -> Path:
    """Copy the complete model ``name`` of folder ``source`` (a session's private folder) into
    ``models_dir()`` as ``as_name`` (default: ``name``), where every visitor's menu lists it.

    A published model of that name is replaced only with ``replace``; the private one stays as it was."""
    published = check_name(as_name or name)
    folder = Path(source) / check_name(name)
    if not is_model_folder(folder):
        raise ValueError(f"No complete model {name!r} in {source}. Received: name={name!r}, source={str(source)!r}")
    root = models_dir()
    if (root / published).exists() and not replace:
        raise FileExistsError(f"A model named {published!r} is already published in {root}; --replace replaces it.")
    partial = partial_folder(root, published)
    shutil.copytree(folder, partial, dirs_exist_ok=True)
    return publish(partial, root, published)
