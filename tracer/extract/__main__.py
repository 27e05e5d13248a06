"""`python -m tracer.extract SOURCE [--cues FILE]...`: the references of one input, as JSON.

A debugging aid for the extraction step alone (the product's command is `tracer trace`).
Reads files and stdin only, so it never touches the network.
"""

from __future__ import annotations

import argparse
import json
import sys

from tracer.errors import TracerError
from tracer.extract.cues import load_cues
from tracer.extract.extractor import extract
from tracer.extract.reference import references_as_dicts
from tracer.extract.source import read_document


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tracer.extract", description=__doc__)
    parser.add_argument("source", help="an .html/.htm/.txt/.md file, or - for stdin")
    parser.add_argument("--cues", action="append", default=[], help="an extra cue lexicon file")
    options = parser.parse_args(argv)
    try:
        lexicon = load_cues(options.cues)
        document = read_document(options.source, lexicon=lexicon)
        references = extract(document, cues=lexicon)
    except TracerError as error:
        print(f"error: {error}", file=sys.stderr)
        return error.exit_code
    output = {
        "source": document.source,
        "title": document.title,
        "outlet": document.outlet,
        "canonical_url": document.canonical_url,
        "published_at": document.dating.at.isoformat() if document.dating else None,
        "published_at_method": document.dating.method if document.dating else None,
        "language": document.language,
        "references": references_as_dicts(references),
    }
    json.dump(output, sys.stdout, ensure_ascii=False, indent=2)
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
