"""Assertions every extraction test shares."""

from __future__ import annotations

from tracer.extract import Document, Reference


def assert_evidence_exact(document: Document, references: list[Reference]) -> None:
    """Every evidence string is the text at its offsets, and offsets come with evidence."""
    for reference in references:
        if reference.evidence is None:
            assert reference.start is None and reference.end is None, reference
            continue
        assert reference.start is not None and reference.end is not None, reference
        assert 0 <= reference.start <= reference.end <= len(document.text)
        assert document.text[reference.start : reference.end] == reference.evidence, reference
    for reference in references:
        for url, (start, end) in reference.attachment_spans.items():
            assert url in reference.attachments
            shown = document.text[start:end]
            assert shown and url.endswith(shown.split("://", 1)[-1]), (url, shown)
