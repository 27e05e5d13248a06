"""Media fingerprints: same-image recall and precision, throughput against imagehash
alone, and peak memory on a 40-megapixel photo.

    .venv/bin/python benchmarks/media_bench.py [--rounds 7] [--json]

Photographs: the real ones scikit-image ships as package data (a test and bench
dependency: `pip install -e '.[test]'`), none fetched. Each gets the copies reposts make:
resized down and up, re-encoded at low JPEG qualities, saved as WebP and PNG, moderate
crops (5% and 10% each side, 12% off one side, 10% off the bottom), a caption bar below
or above, and a resized, captioned, re-encoded copy.

- Accuracy: every pair of files (originals and copies) is judged with `distance` at the
  shipped `media.same_image_distance`; a pair is the same image when both come from one
  photograph. Every other photograph is a negative for each copy. Recall and precision
  are over pairs; the targets are recall >= 0.95 and precision >= 0.99.
- Throughput: `tracer.media.hashing.fingerprint(data)` (sha256, EXIF, C2PA check,
  pHash windows, dHash) against `imagehash.phash(Image.open(data))`, the cost of one
  perceptual hash with imagehash alone, over the same file bytes. Rounds interleave the
  two contenders, alternating which goes first; times are CPU time of this process;
  the ratio is of the medians of the rounds. The target is at most 1.3x.
- Memory: a 40-megapixel JPEG (and PNG) fingerprinted in a fresh process each; peak
  resident memory above what the process held before the call (VmHWM), in MB.
"""

from __future__ import annotations

import argparse
import io
import json
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import imagehash
from PIL import Image

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.media.images import (  # noqa: E402
    REAL_PHOTOGRAPHS,
    captioned,
    cropped,
    encoded,
    jpeg,
    real_photograph,
    resized,
)
from tracer.media.fingerprint import Fingerprint, distance  # noqa: E402
from tracer.media.hashing import fingerprint  # noqa: E402
from tracer.media.settings import MediaSettings  # noqa: E402


def photographs() -> dict[str, Image.Image]:
    return {name: real_photograph(name) for name in REAL_PHOTOGRAPHS}


#: the copies a repost makes, each as file bytes
EDITS: dict[str, Callable[[Image.Image], bytes]] = {
    "resized 0.5": lambda p: jpeg(resized(p, 0.5)),
    "resized 0.75": lambda p: jpeg(resized(p, 0.75)),
    "resized 1.5": lambda p: jpeg(resized(p, 1.5)),
    "jpeg q20": lambda p: jpeg(p, 20),
    "jpeg q50": lambda p: jpeg(p, 50),
    "webp q60": lambda p: encoded(p, "WEBP", quality=60),
    "png": lambda p: encoded(p, "PNG"),
    "crop 5% each side": lambda p: jpeg(cropped(p, 0.05, 0.05, 0.05, 0.05)),
    "crop 10% each side": lambda p: jpeg(cropped(p, 0.1, 0.1, 0.1, 0.1)),
    "crop 12% left": lambda p: jpeg(cropped(p, 0.12, 0, 0, 0)),
    "crop 10% bottom": lambda p: jpeg(cropped(p, 0, 0, 0, 0.1)),
    "caption bar below": lambda p: jpeg(captioned(p, 0.15)),
    "black caption bar above": lambda p: jpeg(captioned(p, 0.12, above=True, colour="black")),
    "resized, captioned, q60": lambda p: jpeg(captioned(resized(p, 0.7), 0.15), 60),
}


def corpus() -> list[tuple[str, str, bytes]]:
    """(photograph, edit, file bytes): each original as a JPEG, then its copies."""
    files = []
    for name, photo in photographs().items():
        files.append((name, "original", jpeg(photo)))
        for edit, make in EDITS.items():
            files.append((name, edit, make(photo)))
    return files


def accuracy(
    files: list[tuple[str, str, bytes]], threshold: int, max_pixels: int
) -> dict[str, Any]:
    prints = [fingerprint(data, max_pixels) for _name, _edit, data in files]
    tp = fp = fn = tn = 0
    missed: dict[str, int] = {}
    false: list[tuple[str, str, int]] = []
    worst_same: dict[str, int] = {}
    for i, (name_a, edit_a, _) in enumerate(files):
        for j in range(i + 1, len(files)):
            name_b, edit_b, _ = files[j]
            apart = distance(prints[i], prints[j])
            same = name_a == name_b
            judged = apart <= threshold
            if same:
                for edit in {edit_a, edit_b} - {"original"}:
                    worst_same[edit] = max(worst_same.get(edit, 0), apart)
            if same and judged:
                tp += 1
            elif same:
                fn += 1
                for edit in {edit_a, edit_b} - {"original"}:
                    missed[edit] = missed.get(edit, 0) + 1
            elif judged:
                fp += 1
                false.append((f"{name_a}/{edit_a}", f"{name_b}/{edit_b}", apart))
            else:
                tn += 1
    # the question users ask: is this copy the same image as that original?
    originals = {name: prints[i] for i, (name, edit, _) in enumerate(files) if edit == "original"}
    copy_tp = copy_fp = copy_fn = 0
    for i, (name, edit, _) in enumerate(files):
        if edit == "original":
            continue
        for other, print_ in originals.items():
            judged = distance(prints[i], print_) <= threshold
            if other == name:
                copy_tp += judged
                copy_fn += not judged
            else:
                copy_fp += judged
    return {
        "photographs": len(originals),
        "groups": _groups(files, prints, threshold),
        "files": len(files),
        "copies": len(files) - len(originals),
        "threshold": threshold,
        "pairs": {"same": tp + fn, "different": fp + tn},
        "recall": tp / (tp + fn),
        "precision": tp / (tp + fp) if tp + fp else 1.0,
        "copy_to_original": {
            "recall": copy_tp / (copy_tp + copy_fn),
            "precision": copy_tp / (copy_tp + copy_fp) if copy_tp + copy_fp else 1.0,
        },
        "missed_pairs_by_edit": missed,
        "largest_same_image_distance_by_edit": worst_same,
        "false_matches": false[:10],
        "closest_different": _closest_different(files, prints),
    }


def _groups(
    files: list[tuple[str, str, bytes]], prints: list[Fingerprint], threshold: int
) -> dict[str, float]:
    """Pairs in one same-image group as a trace forms them: joined by `same_as` edges
    (distance within the threshold), directly or through other copies."""
    parent = list(range(len(files)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i in range(len(files)):
        for j in range(i + 1, len(files)):
            if distance(prints[i], prints[j]) <= threshold:
                parent[root(i)] = root(j)
    tp = fp = fn = 0
    for i, (name_a, _, _) in enumerate(files):
        for j in range(i + 1, len(files)):
            same, grouped = name_a == files[j][0], root(i) == root(j)
            tp += same and grouped
            fn += same and not grouped
            fp += grouped and not same
    return {"recall": tp / (tp + fn), "precision": tp / (tp + fp) if tp + fp else 1.0}


def _closest_different(files: list[tuple[str, str, bytes]], prints: list[Fingerprint]) -> int:
    closest = 64
    for i, (name_a, _, _) in enumerate(files):
        for j in range(i + 1, len(files)):
            if files[j][0] != name_a:
                closest = min(closest, distance(prints[i], prints[j]))
    return closest


def throughput(files: list[tuple[str, str, bytes]], rounds: int, max_pixels: int) -> dict[str, Any]:
    datas = [data for _name, _edit, data in files]

    def tracer_run() -> None:
        for data in datas:
            fingerprint(data, max_pixels)

    def imagehash_run() -> None:
        for data in datas:
            imagehash.phash(Image.open(io.BytesIO(data)))

    contenders = {"tracer": tracer_run, "imagehash": imagehash_run}
    for run in contenders.values():  # warm caches and imports
        run()
    times: dict[str, list[float]] = {name: [] for name in contenders}
    for round_ in range(rounds):
        order = list(contenders) if round_ % 2 == 0 else list(reversed(contenders))
        for name in order:
            started = time.process_time()
            contenders[name]()
            times[name].append(time.process_time() - started)
    medians = {name: statistics.median(values) for name, values in times.items()}
    return {
        "files": len(datas),
        "rounds": rounds,
        "median_seconds": medians,
        "files_per_second": {name: len(datas) / value for name, value in medians.items()},
        "ratio": medians["tracer"] / medians["imagehash"],
        "rounds_seconds": times,
    }


_MEMORY_CHILD = """
import io, sys
from pathlib import Path
sys.path.insert(0, sys.argv[3])
from PIL import Image
import imagehash
from tracer.media.hashing import fingerprint
data = Path(sys.argv[2]).read_bytes()
def status_mb(field):
    for line in Path('/proc/self/status').read_text().splitlines():
        if line.startswith(field + ':'):
            return int(line.split()[1]) / 1e3
before = status_mb('VmRSS')
if sys.argv[1] == 'tracer':
    fingerprint(data, 50_000_000)
else:
    imagehash.phash(Image.open(io.BytesIO(data)))
# VmHWM: this process image's own peak (ru_maxrss would carry the parent's over the fork)
peak = status_mb('VmHWM')
print(max(0.0, peak - before))
"""


def memory(workdir: Path) -> dict[str, Any]:
    """Peak MB above the start, fingerprinting one 40-megapixel file in a fresh process."""
    big = photographs()["astronaut"].resize((7746, 5164), Image.Resampling.BILINEAR)
    found: dict[str, Any] = {"pixels": big.width * big.height}
    for fmt in ("JPEG", "PNG"):
        path = workdir / f"big.{fmt.lower()}"
        path.write_bytes(encoded(big, fmt, **({"quality": 90} if fmt == "JPEG" else {})))
        for contender in ("tracer", "imagehash"):
            out = subprocess.run(
                [sys.executable, "-c", _MEMORY_CHILD, contender, str(path), str(ROOT)],
                capture_output=True,
                text=True,
                check=True,
            )
            found[f"{fmt.lower()} {contender} peak MB"] = round(float(out.stdout), 1)
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    args = parser.parse_args()
    settings = MediaSettings()
    files = corpus()
    result: dict[str, Any] = {
        "accuracy": accuracy(files, settings.same_image_distance, settings.max_pixels),
        "throughput": throughput(files, args.rounds, settings.max_pixels),
    }
    with tempfile.TemporaryDirectory() as workdir:
        result["memory_40mp"] = memory(Path(workdir))
    if args.json:
        print(json.dumps(result, indent=2))
        return
    acc, speed = result["accuracy"], result["throughput"]
    print(
        f"{acc['files']} files ({acc['photographs']} photographs, {acc['copies']} copies), "
        f"threshold {acc['threshold']} bits"
    )
    print(
        f"same image, all pairs: recall {acc['recall']:.3f}  precision {acc['precision']:.3f}  "
        f"({acc['pairs']['same']} same pairs, {acc['pairs']['different']} different)"
    )
    groups = acc["groups"]
    print(
        f"same-image groups:    recall {groups['recall']:.3f}  precision {groups['precision']:.3f}"
    )
    c2o = acc["copy_to_original"]
    print(f"copy vs original:     recall {c2o['recall']:.3f}  precision {c2o['precision']:.3f}")
    print(f"closest different photographs: {acc['closest_different']} bits")
    print(f"largest same-image distance by edit: {acc['largest_same_image_distance_by_edit']}")
    if acc["missed_pairs_by_edit"]:
        print(f"missed pairs by edit: {acc['missed_pairs_by_edit']}")
    for name, value in speed["median_seconds"].items():
        print(
            f"{name:>10}: {value:.3f} s CPU median of {speed['rounds']} rounds "
            f"({speed['files_per_second'][name]:.0f} files/s)"
        )
    print(f"tracer / imagehash alone: {speed['ratio']:.2f}x")
    for key, value in result["memory_40mp"].items():
        print(f"40 MP {key}: {value}")


if __name__ == "__main__":
    main()
