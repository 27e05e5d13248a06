"""The readings of the attribution finder (`tracer.extract.attributions`), one concept each.

- `judgement`: what every reading judges of a name (nobody, a platform, a place), the
  per-text memories, and `CueSite`, one cue as its sentence's readers read it
- `uncased`: names in a script without capitals (Arabic, Persian)
- `objects`: the source a cue takes as its object ("according to X", "der Welt zufolge")
- `media`: the medium a speaker spoke through ("told the BBC")
- `coordination`: several names in one run ("Ruiz and Bell said")
- `subjects`: the speaker a verb or a finding has as its subject ("X, an economist, said")
- `titles`, `affiliations`: a found name cut into title, body and person, and the body a
  person speaks for
- `mentions`: sources named without a verb (kind nouns, signed quotations, colon speakers)
- `credits`: the names an article's credit lines hold ("Źródło: PAP", "WARSZAWA (PAP) -")

Each reading is a class that derives from `Judgement` (and from the readings it asks), so
that the finder, which derives from them all, has every method in one object: the cue
readers run in a hot loop, where one attribute lookup on `self` is the cheapest call.
"""
