"""Media in a chain: image fingerprints, the same image across posts, and where it first
appeared. Imports nothing heavy at package import: Pillow, numpy and imagehash load with
`tracer.media.hashing`, when a command first fingerprints something."""

from __future__ import annotations
