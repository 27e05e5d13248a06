"""The readings of the attribution finder (`tracer.extract.attributions`), one concept each.

Each reading is a class that derives from `Judgement` (and from the readings it asks), so
that the finder, which derives from them all, has every method in one object: the cue
readers run in a hot loop, where one attribute lookup on `self` is the cheapest call.
"""
