"""Extraction: from an article to every reference it makes, with exact evidence.

document = await load_document("article.html")      # or a URL, .txt, .md, "-"
for reference in extract(document):
    print(reference.relation, reference.kind, reference.label, reference.evidence)
"""

from __future__ import annotations

from tracer.extract.cues import Lexicon, load_cues, shipped_cue_files
from tracer.extract.document import Document
from tracer.extract.extractor import extract
from tracer.extract.reference import Reference, references_as_dicts
from tracer.extract.source import document_from_bytes, load_document, read_document, text_document

__all__ = [
    "Document",
    "Lexicon",
    "Reference",
    "document_from_bytes",
    "extract",
    "load_cues",
    "load_document",
    "read_document",
    "references_as_dicts",
    "shipped_cue_files",
    "text_document",
]
