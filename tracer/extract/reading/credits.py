"""Sources an article's credit lines name: "Źródło: PAP", "WARSZAWA (PAP) -", "(PAP)".

The lines themselves are found by `tracer.extract.credits.CreditReader`; this reading makes
each name they hold a cited source: an agency's dateline or signature names an outlet, a
source line's name takes the kind its shape gives, and in a script without capitals the
words after the label are read as a cue's name is.
"""

from __future__ import annotations

from tracer.extract.credits import CreditReader
from tracer.extract.cues import Lexicon
from tracer.extract.finding import Found as _Found
from tracer.extract.reading.uncased import UncasedReading
from tracer.extract.sentences import Sentences
from tracer.store.model import NodeKind


class CreditReading(UncasedReading):
    def __init__(self, lexicon: Lexicon) -> None:
        super().__init__(lexicon)
        self.credit_lines = CreditReader(lexicon, self.names)

    def _credits(self, text: str, sentences: Sentences) -> list[_Found]:
        found: list[_Found] = []
        for credit in self.credit_lines.credits(text):
            sentence = sentences.at(credit.start)
            item: _Found | None
            if credit.name is None:
                item = self._uncased_after(text, credit.start, sentence, "prose-credit")
                if item is not None and credit.agency:
                    item.kind = NodeKind.OUTLET
            elif credit.agency:
                item = _Found(credit.name, NodeKind.OUTLET, 0.85, sentence, "prose-credit")
            else:
                item = self._guessed(credit.name, sentence, "prose-credit", 0.8)
            if item and not self._anonymous(item.name) and not self._no_source(text, item):
                found.append(item)
        return found
