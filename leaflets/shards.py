"""Sharing a library's build among CI runners, and the manifest of everything built.

``build --shard I/N`` builds only the leaflets whose share is I (of N): a leaflet's share is a hash
of its id, so it never depends on the other leaflets (adding one moves no other) nor on the
machine. Each shard writes, beside the PDFs, ``out/.shards/I-of-N.json``: the build manifests of its
leaflets. With every runner's ``out/`` copied into one folder, ``merge`` checks that all N shards
are there, each leaflet built by exactly the shard it belongs to, and writes ``out/manifest.json``:
the same file an unsharded build of the whole library writes (tested). No scheduler, no server:
any CI system's job matrix runs the shards (see README, "A national library").
"""
from __future__ import annotations

import hashlib
import json
from pathlib import Path

from .errors import LeafletError
from .files import write_atomic

MANIFEST = "manifest.json"
SHARDS = ".shards"


class ShardError(LeafletError):
    pass


def parse_shard(text: str) -> tuple[int, int]:
    """``"2/8"`` → ``(2, 8)``; a clear error for anything else."""
    try:
        i, n = (int(x) for x in text.split("/"))
    except ValueError:
        raise ShardError(f"--shard takes I/N, e.g. 1/4 (got '{text}')") from None
    if not 1 <= i <= n:
        raise ShardError(f"--shard {text}: I must be from 1 to N")
    return i, n


def shard_of(leaflet_id: str, n: int) -> int:
    """The share (1..n) a leaflet belongs to."""
    return int(hashlib.sha256(leaflet_id.encode("utf-8")).hexdigest()[:12], 16) % n + 1


def share(leaflets: list, shard: tuple[int, int] | None) -> list:
    if shard is None:
        return leaflets
    i, n = shard
    return [lf for lf in leaflets if shard_of(lf.id, n) == i]


def _read(path: Path):
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def _write(path: Path, data) -> bool:
    raw = (json.dumps(data, indent=1, sort_keys=True, ensure_ascii=False) + "\n").encode("utf-8")
    try:
        if path.read_bytes() == raw:
            return False
    except OSError:
        pass
    write_atomic(path, raw)
    return True


def _manifests(out_dir: Path, ids: list[str]) -> dict:
    found = {}
    for leaflet_id in ids:
        data = _read(out_dir / leaflet_id / ".build.json")
        if isinstance(data, dict):
            found[leaflet_id] = data
    return found


def record(ws, out_dir: Path, built: list[str], shard: tuple[int, int] | None) -> Path:
    """After a build: the shard's manifest, or (unsharded) the library's ``out/manifest.json``."""
    if shard is None:
        path = out_dir / MANIFEST
        _write(path, {"leaflets": _manifests(out_dir, [lf.id for lf in ws.leaflets])})
        return path
    i, n = shard
    path = out_dir / SHARDS / f"{i}-of-{n}.json"
    _write(path, {"shard": [i, n], "leaflets": _manifests(out_dir, sorted(built))})
    return path


def merge(ws, out_dir: Path) -> Path:
    """Check the shards' manifests in ``out_dir`` make one whole library, and write its manifest."""
    folder = out_dir / SHARDS
    files = sorted(folder.glob("*-of-*.json")) if folder.is_dir() else []
    if not files:
        raise ShardError(f"no shard manifests in {folder}: copy every runner's out/ folder here first")
    counts = {}
    merged: dict = {}
    for path in files:
        data = _read(path)
        if not (isinstance(data, dict) and isinstance(data.get("shard"), list) and len(data["shard"]) == 2
                and isinstance(data.get("leaflets"), dict)):
            raise ShardError("not a shard manifest", str(path))
        i, n = data["shard"]
        counts.setdefault(n, set()).add(i)
        for leaflet_id, manifest in data["leaflets"].items():
            if shard_of(leaflet_id, n) != i:
                raise ShardError(f"leaflet '{leaflet_id}' belongs to shard {shard_of(leaflet_id, n)}/{n}, "
                                 f"not {i}/{n}", str(path))
            merged[leaflet_id] = manifest
    if len(counts) != 1:
        raise ShardError(f"shard manifests of different splits in {folder}: {sorted(counts)}; "
                         "keep the files of one run only")
    (n, present), = counts.items()
    missing = sorted(set(range(1, n + 1)) - present)
    if missing:
        raise ShardError(f"shard(s) {', '.join(f'{i}/{n}' for i in missing)} missing from {folder}")
    unbuilt = sorted(lf.id for lf in ws.leaflets if lf.id not in merged)
    if unbuilt:
        raise ShardError(f"no shard built {', '.join(unbuilt[:5])}{' …' if len(unbuilt) > 5 else ''}")
    path = out_dir / MANIFEST
    _write(path, {"leaflets": {k: merged[k] for k in sorted(merged)}})
    return path
