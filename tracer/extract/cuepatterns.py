"""What the attribution finder looks for, compiled once per lexicon.

`CuePatterns` turns a merged lexicon (tracer/extract/cues.py) into the patterns, word sets and
tables the finder (tracer/extract/attributions.py) reads a text with: every cue in one
alternation, the shapes around a name in each language (an article before it, a title, a
kind noun, a postposition), the words that end or open a clause. Building them takes a
while for sixteen languages, so a finder is built once per lexicon and reused; what the
finder learns about one text is its own, not kept here.
"""

from __future__ import annotations

from tracer.extract.cues import Lexicon, WordScanner, WordStarts, phrase_initials, phrase_pattern
from tracer.extract.lazypattern import LazyPattern
from tracer.extract.names import NameFinder
from tracer.extract.surveys import SurveyReader

#: lower-case articles only: a capitalised one inside a sentence opens a title ("Le Monde")
DETERMINER_WORDS = (
    "the",
    "la",
    "le",
    "les",
    "el",
    "il",
    "der",
    "die",
    "das",
    "den",
    "dem",
    "des",
    "del",
)
PREPOSITIONS = r"(?:de|on|auf|bei|на|в|у|w|na|su|en|sur|di|del)"
# an elided article written onto the name: "selon l'AFP", "secondo dell'Istat", "all'Ansa"
ELIDED = r"(?i:l|d|dell|all|dall|nell|sull|dell|degli)['’]"
# a letter no capital (in the scripts with capitals the lexicons use), and a word it opens
LOWER = r"[^\W\d_A-ZÀ-ÞА-ЯΑ-Ω]"
LOWER_WORD = rf"{LOWER}[\w-]*"
#: a German inflected adjective, lower case: "eigener", "neuesten", "weitere"
INFLECTED_ADJECTIVE = rf"{LOWER}+(?:e|en|er|es|em)"
#: what ends a word of the Arabic script: no letter, joiner or vowel sign after it
UNCASED_WORD_END = r"(?![\w\u200c\u064b-\u065f\u0670])"


class CuePatterns:
    """The compiled patterns and word sets of one lexicon."""

    def __init__(self, lexicon: Lexicon) -> None:
        self.lexicon = lexicon
        self.names = NameFinder(lexicon)
        self.surveys = SurveyReader(lexicon, self.names)
        lx = lexicon
        platforms = lx.platforms_pattern
        # the participles and phrases of citing ("citing", "ссылаясь на") and its finite
        # verbs ("цитирует", "cytuje") are one cue; a finite one's subject is its speaker
        citing = (*lx.list("citing"), *lx.list("citing_verbs"))
        self.citing_verbs = lx.lowered.get("citing_verbs", frozenset())
        # one pass over the text finds every cue, platform word and document ending
        capitalised = [
            phrase[:1].upper() + phrase[1:] for phrase in (*lx.list("according"), *citing)
        ]
        capitalised_via = [phrase[:1].upper() + phrase[1:] for phrase in lx.list("via")]
        # particle verbs split around their clause ("maakte het OM bekend", "räumte X ein"):
        # the finite part is a cue when one of its particles follows in the sentence
        self.particles: dict[str, frozenset[str]] = {}
        for phrase in lx.list("particle_verbs"):
            head, *_, particle = phrase.casefold().split()
            self.particles[head] = self.particles.get(head, frozenset()) | {particle}
        particle_heads = [phrase.split()[0] for phrase in lx.list("particle_verbs")]
        self.plain_verbs = lx.lowered.get("verbs", frozenset())
        # via phrases that open with a verb ("zei tegen", "sagte gegenüber"): their rest may
        # follow the verb's inverted subject ("zei Sanne Mulder tegen RTL Nieuws")
        self.via_after_verb: dict[str, tuple[str, ...]] = {}
        for phrase in lx.list("via"):
            head, _, rest = phrase.partition(" ")
            if rest and head.casefold() in self.plain_verbs:
                known = self.via_after_verb.get(head.casefold(), ())
                self.via_after_verb[head.casefold()] = (*known, rest)
        every_phrase = phrase_pattern(
            [
                *lx.list("according"),
                *citing,
                *capitalised,
                *lx.list("verbs"),
                *particle_heads,
                *lx.list("plural_verbs"),
                *lx.list("findings"),
                *lx.list("according_after"),
                *lx.list("citing_after"),
                *lx.list("via_after"),
                *lx.list("via"),
                *capitalised_via,
                *lx.table("name_endings").get("document", ()),
            ]
        )
        self.cues = WordScanner(
            "|".join(
                f"(?P<{group}>{pattern})"
                for group, pattern in (
                    ("according", lx.pattern("according", capitalised_too=True)),
                    ("citing", phrase_pattern(citing, capitalised_too=True)),
                    ("via", lx.pattern("via", capitalised_too=True)),
                    ("verb", phrase_pattern([*lx.list("verbs"), *particle_heads])),
                    ("plural_verb", lx.pattern("plural_verbs")),
                    ("finding", lx.pattern("findings")),
                    ("according_after", lx.pattern("according_after")),
                    ("citing_after", lx.pattern("citing_after")),
                    ("via_after", lx.pattern("via_after")),
                    ("platform_word", rf"{platforms}\w*"),
                    (
                        "document_ending",
                        phrase_pattern(lx.table("name_endings").get("document", ())),
                    ),
                )
            ),
            prefilter=rf"{every_phrase}|{platforms}\w*",
        )
        # the survey nouns' pass and the cues' pass are one: each stops at every separator
        self.word_starts = WordStarts(self.cues, self.surveys.nouns)
        between = lx.pattern("between")
        # (a parenthesised abbreviation in lower case the name pattern leaves out may stand
        # there too: "die Deutsche Presse-Agentur (dpa) meldet")
        # (and an elided object pronoun glued to the verb: "Emmanuel Macron l'a annoncé",
        # "Draghi l'ha detto")
        self.gap = LazyPattern(
            rf"^[\s,]*(?:\([^\W\d_]{{2,6}}\)[\s,]*)?(?:(?i:{between})[\s,]+)*(?:{ELIDED})?$"
        )
        # a finite auxiliary whose clause runs on, unbroken (a number's "40.000" breaks
        # nothing) and with no other auxiliary, to the position a search ends at: where a
        # perfect's participle is read ("Siemens hat am Montag einen Abbau angekündigt"; the
        # group names it a verb cue)
        auxiliary = phrase_pattern(lx.list("auxiliaries"))
        self.auxiliary = LazyPattern(
            rf"(?<!\w)(?P<verb>{auxiliary})(?!\w)"
            rf"(?=(?:(?!(?<!\w)(?:{auxiliary})(?!\w))(?:[^,;:.!?()\"“”„«»–—]|(?<=\d)[.,](?=\d)))*$)"
        )
        # a description closed by a comma, and the article of the name it describes: "según
        # la compañía ferroviaria, [Renfe]", "volgens het Belgische spoorbedrijf, [NMBS]"
        self.description_then_comma = LazyPattern(
            rf"[ \t]*(?P<desc>(?:[^\s,;:.!?()“”\"«»„]+[ \t]+){{0,4}}[^\s,;:.!?()“”\"«»„]+)[ \t]*,"
            rf"[ \t]*(?:(?i:{lx.pattern('determiners')})[ \t]+|the[ \t]+|{ELIDED})?"
        )
        # what closes an apposition after its name: a comma, a bracket, a dash
        self.apposition_closes = LazyPattern(r"[ \t]*(?:[,)]|[—–][ \t])")
        # a pronoun joined to its verb by a hyphen is the verb's subject: "expliquait-il",
        # "affirme-t-elle" (the name before the verb belongs to the reported words)
        self.joined_pronoun = LazyPattern(rf"-(?:t-)?(?i:{lx.pattern('pronouns')})(?!\w)")
        # "Bloomberg со ссылкой на источники сообщил": a citing phrase whose object names
        # nobody may stand between a subject and its verb (a named object is read as one)
        # a via phrase ahead: "в эфире", "в интервью", "told"
        self.via_ahead = LazyPattern(rf"[ \t]+(?i:{lx.pattern('via')})(?!\w)")
        # a title's complement: a few lower-case words in the genitive before the person
        self.title_complement = LazyPattern(rf"(?:[ \t]+{LOWER_WORD}){{0,3}}[ \t]+")
        self.citing_gap = LazyPattern(
            rf"^[ \t]+(?:(?i:{between})[ \t]+)*(?i:{phrase_pattern(citing)})"
            rf"(?:[ \t]+{LOWER_WORD}){{1,4}}[ \t]+(?:(?i:{between})[ \t]+)*$"
        )
        descriptor = (
            rf"(?:[\w’'-]+-(?i:{phrase_pattern(lx.list('descriptor_suffixes'))})"
            rf"|(?i:{phrase_pattern(lx.list('descriptor_prefixes'))})[\w-]+)"
        )
        self.descriptor = LazyPattern(descriptor)
        platforms = lx.platforms_pattern
        kinds = lx.kind_nouns_pattern
        titles = phrase_pattern(lx.list("person_titles"))
        self.titles_pattern = titles
        roles = phrase_pattern(
            [
                *lx.list("person_titles"),
                *lx.list("entourage"),
                *lx.table("kinds").get("person", ()),
            ]
        )
        # lower-case articles only: a capitalised one inside a sentence opens a title
        lead_determiners = phrase_pattern(
            [*(d for d in lx.list("determiners") if d[:1].islower()), *DETERMINER_WORDS]
        )
        # what may stand between a cue and the name it introduces
        self.lead = LazyPattern(
            # "de Belgische openbare omroep VRT", "die staatliche Agentur Tass": after an
            # article, adjectives (lower case, or a capitalised nationality) before a kind noun
            rf"[ \t]*(?:{lead_determiners}[ \t]+(?:(?!{descriptor}[ \t])(?:{LOWER_WORD}|{lx.pattern('demonyms')})[ \t]+){{1,3}}?"
            rf"(?=(?i:{kinds})[ \t])|{lead_determiners}[ \t]+)?(?P<desc>(?:{descriptor}[ \t]+)*)"
            rf"(?:(?P<platform>{platforms})\w*[ \t]*-?[ \t]*(?P<noun>(?i:{kinds}))[ \t]+"
            rf"|(?P<noun2>(?i:{kinds}))[ \t]+(?:{PREPOSITIONS}[ \t]+)?(?P<platform2>{platforms})\w*[ \t]+"
            # "dal quotidiano la Repubblica": a title's own article after the kind noun
            rf"|(?P<noun3>(?i:{kinds}))[ \t]+(?:{lead_determiners}[ \t]+)?)?(?:{ELIDED})?"
        )
        # the same, read backwards from a name: "... Wagner-affiliated Telegram channel NAME"
        self.lead_before = LazyPattern(
            rf"(?:(?P<desc>(?:{descriptor}[ \t]+)*)"
            rf"(?:(?P<platform>{platforms})\w*[ \t]*-?[ \t]*(?P<noun>(?i:{kinds}))"
            # ("le canal Telegram ukrainien X": adjectives follow the platform in Romance)
            rf"|(?P<noun2>(?i:{kinds}))[ \t]+(?:{PREPOSITIONS}[ \t]+)?(?P<platform2>{platforms})\w*"
            rf"(?:[ \t]+{LOWER_WORD}){{0,2}}"
            # "l'agence iranienne IRNA", "de krant De Standaard": a kind noun and adjectives
            rf"|(?<![\w-])(?P<noun3>(?i:{kinds}))(?:[ \t]+{LOWER_WORD}){{0,2}}))[ \t]+$"
        )
        self.possessive_after = LazyPattern(
            rf"^(?:'s|’s|')[ \t]+(?:(?P<platform>{platforms})\w*[ \t]*-?[ \t]*)?(?P<noun>(?i:{kinds}))(?!\w)"
        )
        self.apposition_before = LazyPattern(
            rf"(?P<comma>,)[ \t]*(?:(?:a|an|the|one of the)[ \t]+)?(?:[\w-]+[ \t]+){{0,3}}?"
            rf"(?P<title>(?i:{roles}))[ \t]+(?:of|at|for|from|with|in|to)[ \t]+(?:the[ \t]+)?"
            # "an activist for the environmental group Greenpeace": the body's kind first
            rf"(?:(?:{LOWER_WORD}[ \t]+){{0,2}}?(?i:{kinds})[ \t]+)?$"
        )
        self.title_before = LazyPattern(rf"(?P<title>(?i:{titles}))(?:'s|’s)?[ \t]+$")
        # a capitalised role that opens a name, with the genitive link to the body after it:
        # "[Sprecherin der ]Polizei", "[Chef der ]Firma Brandt GmbH" (German capitalises the
        # role, and the name finder reads role and body as one name)
        # ("Deutschland-Chef von Flixbus": a role compounded with a hyphen)
        self.role_opening = LazyPattern(
            # (its link: an article or a "by"/"von"; "Experte für Parteienfinanzierung" is a
            # field, "Sprecher und Anwalt" two roles)
            rf"(?:[^\W\d_]+-)?(?i:{roles})(?!\w)(?:[ \t]+(?:{lx.pattern('post_by')}|{lx.pattern('determiners')}))+"
            rf"[ \t]+(?=[^\W\d_])"
        )
        # the comma that opens such an apposition, with its article: "Hans Roth, [der ]Sprecher"
        self.comma_before_role = LazyPattern(
            rf",[ \t]*(?:(?i:{lx.pattern('determiners')})[ \t]+)?$"
        )
        # an apposition that opens with a role and names the body after it, closed by the
        # comma before the verb: "Jan Malý, mluvčí [ČEZ], uvedl", "Laura Grant,
        # rzeczniczka [Pentagonu], przekazała" (the comma opens it)
        # (an elided article may open it: "Paul Meunier, l'ancien directeur financier de")
        self.role_apposition_before = LazyPattern(
            rf",[ \t]*(?:{ELIDED})?(?:{LOWER_WORD}[ \t]+){{0,2}}?(?i:{roles})(?:[ \t]+{LOWER_WORD}){{0,2}}[ \t]+$"
        )
        # lower-case adjectives and a kind noun before a name: "americká agentura [AP]"
        self.adjectives_kind = LazyPattern(
            rf"(?:{LOWER_WORD}[ \t]+){{1,3}}?(?P<noun>(?i:{kinds}))[ \t]+"
        )
        self.role_in = LazyPattern(rf"(?<!\w)(?i:{roles})(?!\w)")
        # a title and its genitive complement before a name: "ο εκπρόσωπος του [ΟΗΕ X]",
        # "šéfka diplomacie [EU X]"
        self.title_complement_before = LazyPattern(
            rf"(?<!\w)(?i:{titles})(?:[ \t]+{LOWER_WORD}){{0,2}}[ \t]+$"
        )
        # between an inverted verb (and what `after_verb` skips) and its titled subject:
        # adjectives, a title, its genitive complement ("řekl ministr vnitra X", "napsal
        # opoziční poslanec X", "uvedla mluvčí ministerstva X")
        self.role_complement = LazyPattern(
            # ("пояснює лікар-гастроентеролог X": a title compounded with a hyphen)
            rf"[ \t]*(?:(?:{LOWER_WORD}[ \t]+){{0,2}}?(?P<title>(?i:{titles})(?:-{LOWER_WORD})?)[ \t]+)?"
            rf"(?P<complement>(?:{LOWER_WORD}[ \t]+){{0,2}})"
        )
        self.description_before = LazyPattern(
            rf"(?:^|[,;:(][ \t]*)(?P<desc>[^,;:()]{{0,80}}?(?i:{kinds})(?!\w))[ \t]*,[ \t]*$"
        )
        self.apposition_after = LazyPattern(
            rf"^[ \t]*,[ \t]*(?P<app>[^,;:]{{3,120}}?),[ \t]*(?:(?i:{between})[ \t]+)*$"
        )
        # a verb after a quotation ('"...," said X'): its subject follows it
        self.postposed = LazyPattern(
            r"(?:(?:[”\"»]|'')[ \t]*,?|,[ \t]*(?:[”\"»]|[’']{1,2}))[ \t]*[—–-]?[ \t]*$"
        )
        # a verb after reported speech without quotation marks ("Prices will rise, said
        # John Smith"): its subject follows it when a name does, with nothing between
        self.after_comma = LazyPattern(r",[ \t]*[—–-]?[ \t]*$")
        # ("a Kyiv Post source" names nobody, but "FEC records" and "a CNN poll" name theirs)
        documents = lx.table("kinds").get("document", ())
        people = [
            word
            for word in lx.list("anonymous")
            if not {word, word[:-1], word[:-2]} & set(documents)
        ]
        # an anonymous people's noun and a genitive before a place: "les habitants de",
        # "gli abitanti di", "os moradores de", "residents of the"
        self.anonymous_of = LazyPattern(
            rf"(?<![\w-])(?i:{lx.pattern('anonymous')})[ \t]+"
            rf"(?:(?i:of|de|du|des|di|del|della|dello|da|do|dos|das|von|van)"
            rf"(?:[ \t]+(?:{lead_determiners})[ \t]+|[ \t]+l['’]|[ \t]+)|(?i:d|dell)['’])$"
        )
        self.anonymous_after = LazyPattern(rf"^(?:'s|’s)?[ \t]+(?i:{phrase_pattern(people)})(?!\w)")
        # a finding's subject is a document: "a Quinnipiac University poll found", "FEC
        # records show", "a study by the Larch Institute found", "un sondage Ifop montre"
        self.document_noun = LazyPattern(rf"(?<!\w)(?i:{phrase_pattern(documents)})(?:s|es)?(?!\w)")
        by = phrase_pattern([*lx.list("post_by"), *lx.list("agent")])
        self.finding_by = LazyPattern(
            rf"[ \t]+(?:(?:{LOWER_WORD}[ \t]+){{0,3}}?(?:{by})[ \t]+(?:(?i:{lx.pattern('determiners')}|the)[ \t]+)?)?"
        )
        self.finding_modifier = LazyPattern(rf"(?:'s|’s)?(?:[ \t]+{LOWER_WORD}){{0,2}}[ \t]+")
        self.post_by = WordScanner(
            rf"(?i:{lx.pattern('posts')})[ \t]+(?i:{lx.pattern('post_on')})[ \t]+"
            rf"(?P<platform>{platforms})\w*[ \t]+(?i:{lx.pattern('post_by')})"
        )

        self.lead_forward = LazyPattern(
            rf"(?:(?P<platform>{platforms})\w*[ \t]*-?[ \t]*(?P<noun>(?i:{kinds}))"
            rf"|(?P<noun2>(?i:{kinds}))[ \t]+(?:{PREPOSITIONS}[ \t]+)?(?P<platform2>{platforms})\w*)[ \t]+"
        )
        # the letters `lead_forward` may open with, in the case its two halves read them
        platform_words = [word for words in lx.table("platforms").values() for word in words]
        kind_nouns = [noun for nouns in lx.table("kinds").values() for noun in nouns]
        self.lead_opening = LazyPattern(
            rf"{phrase_initials(platform_words)}|(?i:{phrase_initials(kind_nouns)})"
        )
        self.possessive_forward = LazyPattern(
            rf"(?:'s|’s|(?<=s)'|(?<=s)’)[ \t]+(?P<platform>{platforms})\w*[ \t]*-?[ \t]*(?P<noun>(?i:{kinds}))(?!\w)"
        )
        self.descriptors_before = LazyPattern(rf"(?:{descriptor}[ \t]+)+$")

        determiners = lx.pattern("determiners")
        self.phrase_before_name = LazyPattern(
            # ("secondo i dati dell'Istat": an elided article glued to the name)
            rf"(?:{LOWER}[\w’'-]*[ \t]+|\d[\w.,-]*[ \t]+){{1,6}}(?:{ELIDED})?(?=\S)"
        )
        channel_nouns = phrase_pattern(lx.table("kinds").get("channel", ()))
        self.channel_before_quote = LazyPattern(
            rf"(?i:{channel_nouns})\w*(?:[ \t]+(?:{PREPOSITIONS}[ \t]+)?{platforms}\w*)?[ \t\u00a0]*$"
        )
        # between a headline's name and its colon: nothing, or its campaign ("Clinton camp:")
        self.headline_tail = LazyPattern(
            rf"(?:(?:'s|’s)?[ \t]+(?i:{lx.pattern('entourage')}))?[ \t]*"
        )
        # a title after a verb: "a déclaré mercredi le porte-parole" (adverbs first; a
        # lower-case "the", which English leaves out of its determiners: "said the mayor";
        # adjectives of the title after its article: "notait l'ancien directeur général",
        # "said the former head")
        title_after_verb = (
            rf"[ \t]*(?:(?i:{between})[ \t]+)*"
            rf"(?:(?:(?i:{determiners}|{lx.pattern('indefinite')})[ \t]+|the[ \t]+|{ELIDED})"
            rf"(?:{LOWER_WORD}[ \t]+){{0,2}}?)?(?P<title>(?i:{titles}))"
        )
        self.title_after_verb = LazyPattern(title_after_verb)
        # the title, its complement, a comma, then the person: "a déclaré le porte-parole
        # du gouvernement, X", "said the former head of the X, Y"
        # a title whose complement is its jurisdiction, then the connector and article
        # before the name: "le procureur d'", "the mayor of", "el alcalde de"
        self.place_title_before = LazyPattern(
            rf"(?<!\w)(?i:{lx.pattern('place_titles')})[ \t]+"
            rf"(?:(?i:{lx.pattern('connectors')})[ \t]+|{ELIDED})"
            rf"(?:(?i:{determiners})[ \t]+|the[ \t]+|{ELIDED})?$"
        )
        self.title_then_comma = LazyPattern(
            rf"{title_after_verb}(?:[ \t]+[^\s,;:.!?]+){{0,7}}?[ \t]*,[ \t]*"
        )
        # the word before the organisation in an apposition: "at", "of", "who heads"
        # (not "and": "Ana Ruiz, Tom Bell and Lee Park said" joins speakers, not a body)
        words = phrase_pattern(
            [
                *lx.list("affiliation_words"),
                *(c for c in lx.list("connectors") if not lx.has("conjunctions", c)),
            ]
        )
        # "the director of its Annenberg Center": a possessive determiner before the body
        possessives = lx.pattern("possessive_determiners")
        self.possessive_before = LazyPattern(rf"(?<!\w)(?i:{possessives})[ \t]+$")
        self.affiliation_word = LazyPattern(
            rf"(?<!\w)(?:{words})(?:[ \t]+(?i:{determiners}|{possessives}|the)"
            # "at the libertarian Cato Institute", "head of the centrist Larch Center",
            # "president of the Ohio-based Larch Caucus"
            rf"(?:[ \t]+(?:{LOWER_WORD}|{descriptor})){{0,2}})?[ \t]+$"
        )
        # what follows a person the body or place the person is from names, up to the verb:
        # "[Agnieszka Nowak] z urzędu wojewódzkiego [zapewniła]", "[X] from the county
        # sheriff's office [said]"
        self.affiliation_tail = LazyPattern(
            rf"[ \t]+(?:{phrase_pattern(lx.list('affiliation_words'))})[ \t]+"
            rf"(?:(?i:{determiners}|the)[ \t]+)?(?P<words>(?:[^\W\d_][\w’'.-]*[ \t]+){{1,4}})"
            rf"(?:(?i:{between})[ \t]+)*"
        )
        # a speaker's role after the body it serves, in an apposition: "a Harlow campaign
        # spokesman", "a former Larch Institute analyst", "an RNC delegate from Ohio"
        self.role_after = LazyPattern(
            rf"(?:'s|’s|[:'’]\w{{1,5}})?(?:[ \t]+{LOWER_WORD}){{0,2}}?[ \t]+(?i:{roles})(?!\w)"
        )
        self.determiners = lx.pattern("determiners")
        self.role_gap = LazyPattern(
            rf"(?:'s|’s)?(?:[ \t]+{LOWER_WORD}){{0,2}}?[ \t]+(?i:{roles})\.?[ \t]+"
        )
        # a role and the genitive of the body it serves, before the body's name: "le
        # porte-parole de l'", "el jefe del grupo", "il portavoce della", "spokesman for the"
        self.role_of_before = LazyPattern(
            rf"(?<![\w-])(?i:{roles})[ \t]+(?:(?i:of|for|de|du|des|di|del|della|dello|degli"
            rf"|da|do|dos|das|von)(?:[ \t]+(?:{lead_determiners})[ \t]+|[ \t]+l['’]|[ \t]+)"
            rf"|(?i:dell|d)['’])(?:(?i:{kinds})[ \t]+)?$"
        )
        self.genitive_before = LazyPattern(
            rf"(?<!\w)(?i:of|de|del|della|dello|di|da|do|dos|das|du|des)[ \t]+"
            rf"(?:(?:{lead_determiners})[ \t]+|l['’])?$"
        )
        self.article_first = LazyPattern(rf"[ \t]+(?:{lead_determiners})[ \t]")
        # a verb's object (an article and a word or two), then the preposition that names
        # the medium it was told to: "a confirmé l'information à l'AFP"
        adverbs = rf"(?:(?i:{between})[ \t]+)*"
        self.object_then_dative = (
            LazyPattern(
                rf"[ \t]+{adverbs}(?:(?:{lead_determiners})[ \t]+|{ELIDED})"
                rf"(?:{LOWER_WORD}[ \t]+)?{LOWER_WORD}[ \t]+{adverbs}"
                rf"(?:{lx.pattern('medium_datives')})(?:[ \t]+|(?<=['’]))"
            )
            if lx.list("medium_datives")
            else None
        )
        self.title_at_end = LazyPattern(rf"(?<![\w-])(?i:{titles})$")
        self.role_before = LazyPattern(rf"(?:^|[ \t])(?i:{roles})[ \t]+$")
        # what joins the names of several speakers: "Ana Ruiz and Tom Bell said"
        conjunctions = lx.pattern("conjunctions")

        def joining(articles: str) -> LazyPattern:
            # a comma or conjunction, then an article; "Mr. Grale and Mr. Leary said": the
            # second name keeps its title
            return LazyPattern(
                rf"[ \t]*(?:,[ \t]*(?:(?i:{conjunctions})[ \t]+)?|[ \t]+(?i:{conjunctions})[ \t]+)"
                rf"(?:{articles}[ \t]+)?(?:(?:{titles})[ \t]+)?$"
            )

        self.conjunction = joining(phrase_pattern(DETERMINER_WORDS))
        # the same after a cue's object, where every language's articles may open the next
        # one ("segundo a Reuters e a Bloomberg"); before a verb "and a" opens no speaker
        # ("Trump and a Clinton aide said")
        self.conjunction_object = joining(lead_determiners)
        self.finding_words = frozenset(w.casefold() for w in lx.list("findings"))
        self.conjunction_in = LazyPattern(rf"(?<!\w)(?i:{lx.pattern('conjunctions')})(?!\w)")
        # a conjunction after a name: "Brunei and Taiwan have claims"
        self.conjunction_word = LazyPattern(
            rf"(?<!\w)[^\W\d_][\w'’.-]*[ \t]+{lx.pattern('conjunctions')}[ \t]+$"
        )
        self.agent_after = LazyPattern(rf"[ \t]+(?:(?i:{lx.pattern('agent')}))(?=[ \t])")
        # "zapewniła sobie awans": a speech verb in a phrase that says something else
        self.non_speech = LazyPattern(rf"(?i:{lx.pattern('non_speech_phrases')})(?!\w)")
        self.entourage_gap = LazyPattern(
            rf"^(?:'s|’s|'|’)?[ \t]+(?:[\w-]+[ \t]+)?(?i:{lx.pattern('entourage')})[ \t,]+"
            rf"(?:(?i:{between})[ \t,]+)*$"
        )
        # adverbs alone between a verb and its subject, in a script without capitals
        self.between_after = LazyPattern(rf"(?:[ \t]+(?i:{between}))*(?=[ \t])")
        # between a verb and the subject that follows it: adverbs, articles, titles
        # ("said the Rev. Ana Ruiz": "the" before an abbreviated title)
        # (a word in capitals is an acronym, not the adverb or clitic it spells: "meldt de
        # NOS", not the Spanish "nos")
        self.after_verb = LazyPattern(
            rf"(?:[ \t]+(?:(?![A-ZÀ-ÞА-ЯЁΑ-Ω]{{2,}}(?!\w))(?i:{between})|(?i:{determiners})|(?i:{titles})"
            # "afirmou nesta terça-feira (4) o deputado X": the day of the month after
            # the weekday, as Brazilian news writes it
            rf"|\(\d{{1,2}}\)"
            rf"|the(?=[ \t]+(?:{titles})(?<=\.)[ \t])))*(?=[ \t])"
        )
        # between a name and its postposition: a case ending after a colon or an apostrophe
        # ("X:n mukaan", "Reuters'a göre") and at most one lower-case noun in the genitive's
        # case ("Bakanlığın açıklamasına göre", "poliisin tietojen mukaan")
        self.gap_before_postposition = LazyPattern(
            rf"(?:[:'’]\w{{1,6}})?(?:[ \t]+{LOWER_WORD})?[ \t]*"
        )
        # between a name and its postposition, a kind noun in the genitive and at most one
        # noun of saying: "TASS haber ajansının aktardığına göre", "Hürriyet gazetesinin
        # haberine göre"
        # (the word that names it and its platform may come first: "“Dva Mayora” isimli
        # Telegram kanalında yapılan paylaşımda"; the name may carry its genitive: "Rybar'ın
        # Telegram kanalına göre")
        named_kind = (
            rf"[ \t]+(?:{LOWER_WORD}[ \t]+)?(?:(?P<platform>{platforms})\w*[ \t]+)?"
            rf"(?P<noun>(?i:{kinds}))"
        )
        self.kind_before_postposition = LazyPattern(
            rf"(?:[:'’]\w{{1,6}})?{named_kind}(?:[ \t]+{LOWER_WORD})?[ \t]*"
        )
        # the kind noun that closes a verb-final subject before its comma: "Rybar adlı
        # Telegram kanalı, ... yazdı", "Hürriyet gazetesi, ... yazdı"
        self.kind_closing_subject = LazyPattern(rf"{named_kind}[ \t]*,")
        # the same after a short title in quotation marks, which is no quoted speech:
        # "“Dva Mayora” adlı Telegram kanalı, ... yazdı"
        quoted_title = (
            r"[«„“\"][ \t]*(?P<name>[^\s«»„“”\"][^«»„“”\"\n]{0,58}?)[ \t]*(?P<close>[»“”\"])"
        )
        self.quoted_kind_subject = LazyPattern(rf"[ \t]*{quoted_title}{named_kind}[ \t]*,")
        self.quoted_kind_before = LazyPattern(
            rf"{quoted_title}{named_kind}(?:[ \t]+{LOWER_WORD})?[ \t]*$"
        )
        # what may follow a clause-final verb: the sentence's end, or a colon and the quote
        self.clause_end = LazyPattern(r"[ \t]*(?:[.!?…]+[\"”»']?[ \t]*$|:|$)")
        # a name with a case ending after an apostrophe is no subject: "Kanada'nın"
        self.suffixed = LazyPattern(r"['’]\w+$")
        # a word after a name that makes it the modifier of the name after it: "Londra
        # merkezli Chevron" (London-based Chevron), "Kremlin yanlısı Rybar"
        self.modifier_after = LazyPattern(
            rf"[ \t]+(?i:{phrase_pattern(lx.list('modifier_words'))})(?!\w)"
        )
        self.case_suffixes = sorted(
            (s for s in lx.list("case_suffixes") if s), key=len, reverse=True
        )
        # the endings that make a name beside a speech verb the medium it spoke to: the
        # dative ("AFP'ye konuşan"), the allative ("sanoi STT:lle"), longest first
        self.medium_suffixes = sorted(
            (s for s in lx.list("medium_suffixes") if s), key=len, reverse=True
        )
        self.cue_words = frozenset(
            word.casefold()
            for key in (
                "verbs",
                "according",
                "according_after",
                "citing",
                "citing_verbs",
                "citing_after",
                "via",
                "via_after",
            )
            for phrase in lx.list(key)
            for word in phrase.split()[:1]
        )
        # what may stand between a subject and its verb ("X last month said", "Clinton's
        # campaign said"), as sets of case-folded words for the verbs' cheap pre-check
        self.between_words = lx.lowered.get("between", frozenset())
        self.leading_words = self.between_words | lx.lowered.get("entourage", frozenset())
        # places, and nationalities and collectives ("Germans", "officials"): no sources
        self.place_words = lx.lowered.get("places", frozenset())
        self.people_words = lx.lowered.get("demonyms", frozenset()) | lx.lowered.get(
            "collectives", frozenset()
        )
        # words that name nobody: "a source", "they", "some", sentence openers
        self.nameless_words = frozenset().union(
            *(
                lx.lowered.get(key, ())
                for key in ("anonymous", "pronouns", "indefinite", "not_names")
            )
        )
        self.anonymous_words = lx.lowered.get("anonymous", frozenset())
        self.role_noun_endings = tuple(e.casefold() for e in lx.list("role_noun_endings"))
        self.head_adjectives = tuple(e.casefold() for e in lx.list("name_head_adjectives"))
        self.genitive_body_endings = tuple(lx.list("genitive_body_endings"))
        self.surname_endings = tuple(e.casefold() for e in lx.list("surname_endings"))
        # the lower-case words a quoted title may hold (see `_short_title`)
        self.title_function_words = frozenset().union(
            *(
                lx.lowered.get(key, frozenset())
                for key in (
                    "determiners",
                    "connectors",
                    "conjunctions",
                    "name_particles",
                    "post_on",
                    "noun_articles",
                    "possessive_determiners",
                )
            )
        )
        self.noun_article = LazyPattern(rf"(?<!\w){lx.pattern('noun_articles')}[ \t]+$")
        # the same with one inflected adjective between: "einer gesetzlichen Regelung"
        self.noun_article_adjective = LazyPattern(
            rf"(?<!\w){lx.pattern('noun_articles')}[ \t]+{INFLECTED_ADJECTIVE}[ \t]+$"
        )
        self.quoted_subject = LazyPattern(
            rf"(?<!\w)(?:(?i:{lx.pattern('determiners')})|(?P<noun>(?i:{kinds})))[ \t]+[„“\"«]"
            rf"(?P<name>[^\s«»„“”\"][^«»„“”\"\n]{{0,58}}?)[”“\"»]$"
        )
        # a sentence's first slot filled by a prepositional phrase ("Auf weitere Nachfrage",
        # "Um 9 Uhr", "Im 19. Jahrhundert"), up to the capitalised noun it closes with
        self.fronted_phrase = LazyPattern(
            rf"[\s„“\"«]*(?i:{lx.pattern('fronted_prepositions')})"
            rf"(?:[ \t]+(?:{lx.pattern('noun_articles')}|\d[\d.:,]*|{INFLECTED_ADJECTIVE}))*"
            rf"[ \t]+"
        )
        # inflected adjectives alone before a noun, as German writes them ("eigener",
        # "neuesten"); no article, no other word
        self.bare_adjectives = LazyPattern(rf"(?:{INFLECTED_ADJECTIVE}[ \t]+){{1,2}}")
        # a dative article inside or after an inverted subject: "sagte Berg[ der ]Zeitung"
        self.dative_article = LazyPattern(rf"[ \t]+(?:{lx.pattern('dative_articles')})[ \t]+")
        # a lower-case preposition right before a word: the word is its object, never a
        # verb's subject ("unter CC veröffentlicht", "aus Heidbeke erklärt"); "durch" marks
        # a passive's agent, who is the source ("durch das Ministerium bestätigt")
        governing = [p for p in lx.list("fronted_prepositions") if p != "durch"]
        self.governing_preposition = LazyPattern(rf"(?<![\w-]){phrase_pattern(governing)}[ \t]+$")
        self.oblique_article = LazyPattern(rf"(?<!\w){lx.pattern('oblique_articles')}[ \t]+$")
        self.definite_before = LazyPattern(rf"(?<!\w)(?i:{lx.pattern('determiners')})[ \t]+$")
        self.opening_noun_article = LazyPattern(
            rf"[\s„“\"«]*(?i:{lx.pattern('noun_articles')})[ \t]+"
        )
        # what stands before a participle inflected as an adjective inside a noun phrase: an
        # article and a prepositional phrase ("in einer am Dienstag veröffentlichten
        # Mitteilung", "eine vom Veranstalter erklärte Änderung"), an article and an adverb
        # ("die weit verbreitete Ansicht"), or an article alone that is no pronoun ("den
        # zitierten Brief"; "Das erklärte X" is a fronted object)
        pronouns = lx.lowered.get("pronouns", frozenset())
        fused = lx.lowered.get("fronted_prepositions", frozenset())
        articles = [a for a in lx.list("noun_articles") if a.casefold() not in fused]
        oblique = [a for a in articles if a.casefold() not in pronouns]
        # (an adverb is one lower-case word, and no lower-case outlet: "wie die dpa meldete")
        adverb = rf"(?!(?:{lx.pattern('lower_case_names')})(?!\w)){LOWER}+"
        self.attributive_before = LazyPattern(
            rf"(?<!\w)(?:(?i:{lx.pattern('noun_articles')})[ \t]+(?:{LOWER_WORD}[ \t]+)?"
            rf"(?i:{lx.pattern('fronted_prepositions')})(?:[ \t]+[^\s,;:!?]*[^\s,;:.!?]){{1,3}}"
            rf"|(?i:{phrase_pattern(articles)})[ \t]+{adverb}"
            rf"|(?i:{phrase_pattern(oblique)}))[ \t]+$"
        )
        # a clause that opens with an article and a capitalised noun before its verb: the
        # noun is the verb's subject ("Die Regierung kritisierte das Gesetz", "Mehrere
        # Telegram-Kanäle meldeten Explosionen"), and no name after the verb is
        opening_articles = phrase_pattern([*lx.list("determiners"), *lx.list("indefinite")])
        self.noun_subject = LazyPattern(
            rf"(?:^|[,;:][ \t]*)[„“\"«]?(?i:{opening_articles})[ \t]+(?:{LOWER_WORD}[ \t]+){{0,2}}"
            rf"(?!{LOWER})[^\W\d_][\w-]*[ \t]+$"
        )
        # a script without capitals: the titles, kind nouns and determiners that open a
        # name after its cue, several words long ("گروه سیاسی خبرگزاری", "وزير الخارجية")
        heads = lx.pattern("name_heads")
        self.uncased_lead = LazyPattern(
            rf"[ \t]*(?P<lead>{titles}|{kinds}|{determiners}|{heads}){UNCASED_WORD_END}"
        )
        # a spokesperson's title, after which the body the person speaks for is named
        # ("المتحدث باسم الكرملين", "سخنگوی وزارت امور خارجه")
        self.spokesperson = LazyPattern(
            rf"[ \t]*(?:{lx.pattern('spokesperson_titles')}){UNCASED_WORD_END}"
        )
        self.name_heads = lx.lowered.get("name_heads", frozenset())
        self.article_prefixes = tuple(lx.list("article_prefixes"))
        # the first word of each name of several words the name endings list ("سي إن إن":
        # its particle "إن" is a stop word elsewhere), longest first
        self.known_names: dict[str, list[str]] = {}
        for whole in sorted(lx.kind_of_ending, key=len, reverse=True):
            if " " in whole:
                self.known_names.setdefault(whole.split()[0], []).append(whole)
        self.own = LazyPattern(rf"(?i:{lx.pattern('own')})[ \t]+\S*[ \t]*$")
        # compiled once here: built per call, each lookup would hash a pattern of kilobytes
        self.qualifier_noun = LazyPattern(rf"[ \t]*-?[ \t]*(?i:{kinds})")
        self.last_kind_noun = LazyPattern(rf"(?i:{kinds})(?!\w)(?!.*(?i:{kinds}))")
        # (a whole word: "exdirigente" holds the Italian "ente")
        self.kind_noun = LazyPattern(rf"(?<!\w)(?i:{kinds})(?!\w)")
        self.platform_word = LazyPattern(platforms)
        # names their bearers write in lower case ("dpa", "taz"), which have no capital
        self.lower_case_names = frozenset(lx.list("lower_case_names"))
        # where a platform is a place ("on Telegram") and what is posted there ("posts"),
        # and the last words of "according to" phrases, after which it may be a company
        self.according_ends = frozenset(
            phrase.split()[-1].casefold() for phrase in lx.list("according") if phrase.split()
        )
        self.post_on_before = LazyPattern(rf"(?<!\w)(?i:{lx.pattern('post_on')})[ \t]+$")
        self.post_noun_after = LazyPattern(rf"[ \t]*-?[ \t]*(?i:{lx.pattern('posts')})")
