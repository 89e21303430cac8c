"""The ``kzaz_people`` spaCy component: people the gazetteer does not know, found by title.

"Ambassador of Kazakhstan to Azerbaijan, Alim Bayel", "Kanat Tumysh, Deputy Minister of
Foreign Affairs": a title next to capitalised words makes them a person, with the role and
country the title gives in ``span._.kzaz_attrs``.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from typing import Any

from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span, Token
from spacy.util import filter_spans

from kzaz_facts.components import doc_text
from kzaz_facts.gazetteer import Gazetteer
from kzaz_facts.lexicon import Lexicon
from kzaz_facts.tables import shared

PERSON = "PERSON"
PLACE_LABELS = frozenset({"GPE", "NORP"})

if not Span.has_extension("kzaz_attrs"):
    Span.set_extension("kzaz_attrs", default=None)


class TitledPeople:
    """Find people the gazetteer does not know from the titles around their names.

    Covers "Ambassador of Kazakhstan to Azerbaijan, Alim Bayel", "minister of Transport,
    Communications and High Technologies Ramin Guluzade said" (title, complement, name) and
    "Kanat Tumysh, Deputy Minister of Foreign Affairs" (name, comma, title). A surname met
    once with a full name ("Tumysh said") is then tagged as the same person.
    """

    def __init__(self, nlp: Language, gazetteer: Gazetteer, lexicon: Lexicon) -> None:
        people = lexicon.people
        self.gazetteer = gazetteer
        self.titles = PhraseMatcher(nlp.vocab, attr="LOWER")
        self.titles.add("TITLE", [nlp.make_doc(title) for title in people.titles])
        # One-word honorifics ride along like connectors: "Ambassador, H.E. Alim Bayel".
        honorifics = {word.lower() for word in people.honorifics if " " not in word}
        self.connectors = {word.lower() for word in people.connectors} | honorifics
        self.not_names = set(people.not_names) | {title.title() for title in people.titles}
        self._taken: set[int] = set()

    def __call__(self, doc: Doc) -> Doc:
        titles = filter_spans([doc[start:end] for _, start, end in self.titles(doc)])
        ents = list(doc.ents)
        if not titles and not any(e.label_ == PERSON and len(e) >= 2 for e in ents):
            return doc  # no person to find by title, no full name whose surname recurs
        owner = _token_owners(doc, ents)
        found: list[Span] = []
        starts = {title.start for title in titles}
        # Tokens of people and titles already seen: a title's country is never looked for
        # across them ("Director Yusif Abdullayev and Chairman of ...").
        self._taken = {
            i for span in ents if span.label_ == PERSON for i in range(span.start, span.end)
        }
        for title in titles:
            self._taken.update(range(title.start, title.end))
        for title in titles:
            person = self._after_title(doc, title, owner, starts) or self._before_title(
                doc, title, owner
            )
            if person is not None:
                found.append(person)
                self._taken.update(range(person.start, person.end))
        merged = self._merge(doc, ents, found) if found else ents
        # Every span kept either covers tokens of no entity or the tokens of one entity
        # exactly, and every other token is outside an entity since the gazetteer ran: only
        # the new spans need writing (``set_ents`` of them all walks every token in Python).
        unchanged = {id(ent) for ent in ents}
        added = [span for span in self._alias_surnames(doc, merged) if id(span) not in unchanged]
        if added:
            doc.set_ents(added, default="unmodified")
        return doc

    # -- name shapes -------------------------------------------------------------------
    def _name_like(self, token: Token, owner: dict[int, Span]) -> bool:
        return (
            token.i not in owner
            and token.is_alpha
            and token.text[:1].isupper()
            and not token.is_upper
            and token.text not in self.not_names
        )

    def _name_words(self, doc: Doc, end: int, owner: dict[int, Span]) -> tuple[int, int] | None:
        """The name that ends just before token ``end``: up to two words, "Kassym-Jomart" is one."""
        words = 0
        start = end
        i = end - 1
        while i >= 0 and words < 2:
            if not self._name_like(doc[i], owner):
                break
            start = i
            words += 1
            # "Kassym - Jomart": a hyphen with no spaces joins two capitalised parts into one word.
            if (
                i >= 2
                and doc[i - 1].text in "-–"
                and not doc[i - 2].whitespace_
                and not doc[i - 1].whitespace_
                and self._name_like(doc[i - 2], owner)
            ):
                start = i - 2
                i -= 3
                continue
            i -= 1
        return (start, end) if words else None

    def _after_title(
        self, doc: Doc, title: Span, owner: dict[int, Span], starts: set[int]
    ) -> Span | None:
        """ "General Director of QazTrade Trade Policy Development Center JSC Azamat Askaruly":
        the complement runs over capitalised words (inner capitals and legal forms too) but
        never into the next title ("Chairman Orkhan Mammadov and General Director of ...")."""
        j = title.end
        while j < len(doc) and not doc[j].is_sent_start:
            token = doc[j]
            if j in starts or (token.lower_ in {"and", ","} and j + 1 in starts):
                break
            existing = owner.get(j)
            if existing is not None and existing.label_ == PERSON:
                self._describe(existing, doc, title, existing.start)
                return None
            # A comma goes on to more role words or a name, never to "the …" or a verb.
            following = doc[j + 1] if j + 1 < len(doc) else None
            if token.text == "," and (following is None or not following.is_title):
                break
            # The complement runs over role words too: "minister of Transport, Communications".
            if existing is not None or token.lower_ in self.connectors or token.text[:1].isupper():
                j += 1
                continue
            break
        end = j
        while end > title.end and doc[end - 1].lower_ in self.connectors:
            end -= 1
        name = self._name_words(doc, end, owner)
        # "economist Rauf Hasanov in Baku": the setting after the name is not part of it.
        while (
            name is None
            and end > title.end
            and (doc[end - 1].lower_ in self.connectors or end - 1 in owner)
        ):
            end -= 1
            name = self._name_words(doc, end, owner)
        if name is None:
            return None
        start, stop = name
        single = stop - start == 1
        # A lone word right after the title is a surname ("President Tokayev"); a lone
        # capitalised word at the end of a long complement is more likely part of it.
        if single and start != title.end:
            return None
        return self._person(doc, start, stop, title, start)

    def _before_title(self, doc: Doc, title: Span, owner: dict[int, Span]) -> Span | None:
        comma = title.start - 1
        if comma < 1 or doc[comma].text != ",":
            return None
        name = self._name_words(doc, comma, owner)
        if name is None or name[1] - name[0] < 2:
            return None
        role_end = title.end
        while (
            role_end < len(doc)
            and not doc[role_end].is_sent_start
            and (
                doc[role_end].lower_ in self.connectors - {",", "and"}
                or (owner.get(role_end) is not None and owner[role_end].label_ in PLACE_LABELS)
                or doc[role_end].text[:1].isupper()
            )
        ):
            role_end += 1
        span = Span(doc, name[0], name[1], label=PERSON, span_id=_canonical(doc[name[0] : name[1]]))
        span._.kzaz_attrs = self._role(doc, title.start, role_end, title)
        return span

    def _person(self, doc: Doc, start: int, end: int, title: Span, role_end: int) -> Span:
        span = Span(doc, start, end, label=PERSON, span_id=_canonical(doc[start:end]))
        span._.kzaz_attrs = self._role(doc, title.start, role_end, title)
        return span

    def _describe(self, person: Span, doc: Doc, title: Span, role_end: int) -> None:
        if person._.kzaz_attrs is None:
            person._.kzaz_attrs = self._role(doc, title.start, role_end, title)

    def _role(self, doc: Doc, start: int, end: int, title: Span) -> dict[str, Any]:
        while end > start and (doc[end - 1].lower_ in self.connectors or doc[end - 1].is_punct):
            end -= 1
        role = doc[start:end].text
        return {"role": role, "country": self._country(doc, title, end)}

    def _country(self, doc: Doc, title: Span, role_end: int) -> str | None:
        """The title's country: "Kazakh Ambassador", "Kazakhstan's President", "Minister of X"."""
        before = title.start - 1
        # "Azerbaijan's Small and Medium Business Development Agency Chairman": the owner
        # of a capitalised body before the title.
        while (
            before > 0
            and before not in self._taken
            and doc[before].ent_type_ not in PLACE_LABELS
            and (doc[before].text[:1].isupper() or doc[before].lower_ == "and")
        ):
            before -= 1
        if before >= 0 and doc[before].text in {"'s", "’s"}:
            before -= 1
        if before >= 0 and doc[before].ent_type_ in PLACE_LABELS:
            return doc[before].ent_id_ or doc[before].text
        for i in range(title.end, role_end):
            token = doc[i]
            if token.ent_type_ in PLACE_LABELS and token.ent_iob_ == "B":
                if i > 0 and doc[i - 1].lower_ in {"to", "in"}:
                    continue
                return token.ent_id_ or token.text
        return None

    def _merge(self, doc: Doc, ents: list[Span], found: list[Span]) -> list[Span]:
        kept = [span for span in found if not any(_overlaps(span, ent) for ent in ents)]
        merged = filter_spans(ents + kept)
        # A kept span without a role takes the role of another span over the same words, the
        # last one listed (reading ``span._`` of every entity costs more than the rest).
        bounds = Counter((span.start, span.end) for span in ents + kept)
        shared = {key for key, count in bounds.items() if count > 1}
        if not shared:
            return merged
        attrs = {
            (span.start, span.end): span._.kzaz_attrs
            for span in ents + kept
            if (span.start, span.end) in shared
        }
        for span in merged:
            key = (span.start, span.end)
            if key in shared and span._.kzaz_attrs is None and attrs[key] is not None:
                span._.kzaz_attrs = attrs[key]
        return merged

    def _alias_surnames(self, doc: Doc, ents: list[Span]) -> list[Span]:
        surnames: dict[str, set[str]] = {}
        for ent in ents:
            if ent.label_ == PERSON and len(ent) >= 2:
                surnames.setdefault(ent[-1].text, set()).add(ent.ent_id_ or ent.text)
        unique = {name: ids.pop() for name, ids in surnames.items() if len(ids) == 1}
        if not unique:
            return ents
        owner = _token_owners(doc, ents)
        extra: list[Span] = []
        for i in _tokens_spelled(doc, unique):
            token = doc[i]
            canonical = unique[token.text]
            if token.i in owner:
                existing = owner[token.i]
                # "President Tokayev" found by title alone joins the full name seen elsewhere.
                if (
                    existing.label_ == PERSON
                    and len(existing) == 1
                    and existing.ent_id_ != canonical
                ):
                    extra.append(self._relabel(existing, canonical))
                continue
            extra.append(Span(doc, token.i, token.i + 1, label=PERSON, span_id=canonical))
        if not extra:
            return ents
        replaced = {(span.start, span.end) for span in extra}
        return sorted(
            [ent for ent in ents if (ent.start, ent.end) not in replaced] + extra,
            key=lambda span: span.start,
        )

    @staticmethod
    def _relabel(span: Span, canonical: str) -> Span:
        relabelled = Span(span.doc, span.start, span.end, label=PERSON, span_id=canonical)
        relabelled._.kzaz_attrs = span._.kzaz_attrs
        return relabelled


def _tokens_spelled(doc: Doc, words: Iterable[str]) -> list[int]:
    """The indices of the tokens whose text is one of ``words``, in order.

    Each word is looked for in the text, and kept where its characters are exactly one token
    (``char_span`` searches in C): cheaper than reading a column of every token.
    """
    text = doc_text(doc)
    found: set[int] = set()
    for word in words:
        position = text.find(word) if word else -1
        while position >= 0:
            span = doc.char_span(position, position + len(word))
            if span is not None and len(span) == 1:
                found.add(span.start)
            position = text.find(word, position + 1)
    return sorted(found)


def _canonical(span: Span) -> str:
    return "".join(token.text_with_ws for token in span).strip()


def _overlaps(a: Span, b: Span) -> bool:
    return a.start < b.end and b.start < a.end


def _token_owners(doc: Doc, spans: list[Span]) -> dict[int, Span]:
    return {i: span for span in spans for i in range(span.start, span.end)}


@Language.factory(
    "kzaz_people",
    default_config={"data_dir": None, "tables": None},
    assigns=["doc.ents", "span._.kzaz_attrs"],
    requires=["doc.sents"],
)
def make_people(nlp: Language, name: str, data_dir: str | None, tables: str | None) -> TitledPeople:
    found = shared(tables, data_dir)
    return TitledPeople(nlp, found.gazetteer, found.lexicon)
