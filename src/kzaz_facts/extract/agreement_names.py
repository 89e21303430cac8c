"""The name of an agreement around its head word, and the parties signing it.

The name runs left over capitalised words or up to two lowercase modifiers, and right over
a complement ("on cooperation in transport") up to where the setting of the signing starts
("in Astana", "on Tuesday"), a verb joined by "and" ("and agreed to ..."), or a second
agreement ("and the comprehensive program ..."). ``signatories`` reads the capitalised
parties after "between"/"by" ("between KazakhExport and the Azerbaijan Export Promotion
Agency").
"""

from __future__ import annotations

import re

from kzaz_facts.extract.context import DocumentContext
from kzaz_facts.lexicon import Lexicon

WORD = re.compile(r"[\w’'-]+")
_SPACE = re.compile(r"\s+")
_YEAR = re.compile(r"\s+\d{4}\b")
_NEVER = re.compile(r"(?!x)x")


class NameWalker:
    """Walks the words around an agreement's head word in one document."""

    def __init__(
        self, context: DocumentContext, lexicon: Lexicon, when_words: frozenset[str]
    ) -> None:
        self.context = context
        self.text = context.text
        self.lexicon = lexicon
        self.words = lexicon.words
        self.when_words = when_words
        self._complement = lexicon.complement_lead
        self._covers_lead = lexicon.agreement_cues.get("covers_lead", _NEVER)
        self._trailing = (
            self.words["name_stop"] | self.words["complement_lead"] | self.words["pair_link"]
        )

    def name(
        self, head: re.Match[str], start: int, end: int, *, listed: bool = False
    ) -> tuple[int, int] | None:
        """Where the agreement's name starts and ends, or None when the head names nothing.

        ``listed``: the head opens a list item, whose name may be a bare lowercase head.
        """
        text = self.text
        generic = self.lexicon.agreement_generic
        name_stop = self.words["name_stop"]
        name_start = head.start()
        capitalised = text[head.start()].isupper()
        modifiers = 0
        # Left: capitalised words ("Comprehensive Program") or up to two lowercase modifiers
        # ("strategic declaration"), never across a determiner or a verb of signing.
        for word in reversed(list(WORD.finditer(text, start, head.start()))):
            between = text[word.end() : name_start]
            if between.strip() not in {"", "-"}:
                break
            token = word.group(0)
            lower = token.lower()
            if lower in generic:
                return None
            if lower in name_stop or lower in self.lexicon.actions:
                break
            if token[:1].isupper():
                capitalised = True
            elif modifiers >= 2 or capitalised:
                break
            else:
                modifiers += 1
            name_start = word.start()
        name_end = head.end()
        complement = self._complement.match(text, name_end, end) or self._covers_start(
            name_end, end
        )
        if complement is not None:
            name_end = self._complement_end(name_end, end)
        if complement is None and modifiers == 0 and not capitalised and not listed:
            return None
        if (
            complement is None
            and name_start == head.start()
            and text[name_start].isupper()
            and not listed
        ):
            return None  # "the Declaration" alone names nothing
        return name_start, name_end

    def _covers_start(self, position: int, end: int) -> re.Match[str] | None:
        """ "until 2027", "through 2030" right after the head."""
        lead = _SPACE.match(self.text, position, end)
        if lead is None:
            return None
        cover = self._covers_lead.match(self.text, lead.end(), end)
        if cover is None or _YEAR.match(self.text, cover.end(), end) is None:
            return None
        return cover

    def _complement_end(self, position: int, end: int) -> int:
        """Where a complement ("on cooperation in transport") ends: at a stop word, a
        setting ("in Astana"), punctuation, or "and" + a verb or another agreement."""
        text = self.text
        kept: list[re.Match[str]] = []
        listing = False
        for word in WORD.finditer(text, position, end):
            between = text[position : word.start()]
            gap = between.strip()
            if gap == "," and not self._listing_goes_on(listing, word.start(), end):
                break
            if gap not in {"", "-", "–", ","}:
                break
            lower = word.group(0).lower()
            if lower in self.words["complement_stop"] or self._starts_setting(
                lower, word.end(), end
            ):
                break
            if lower == "and" and self._next_head(word.end(), end):
                break
            if lower == "between":
                listing = True
            elif lower == "and":
                listing = False
            kept.append(word)
            position = word.end()
        while kept and kept[-1].group(0).lower() in self._trailing:
            kept.pop()
        return kept[-1].end() if kept else position

    def _listing_goes_on(self, listing: bool, position: int, end: int) -> bool:
        """ "between CJSC Azerbaijan Railways, JSC Kazakhstan Railways and ...": a comma in a
        list of parties, when a capitalised word follows and "and" comes before the next comma."""
        if not listing:
            return False
        following = WORD.search(self.text, position, end)
        if following is None or not following.group(0)[:1].isupper():
            return False
        rest = self.text[position:end]
        comma = rest.find(",")
        part = rest if comma < 0 else rest[:comma]
        return " and " in part

    def _next_head(self, position: int, end: int) -> bool:
        """ "... and the comprehensive program": "and" starts a second agreement (a
        determiner and up to two modifiers may come before its head)."""
        words = self.words
        for count, word in enumerate(WORD.finditer(self.text, position, end)):
            if self.lexicon.agreement_heads.match(self.text, word.start()):
                return True
            lower = word.group(0).lower()
            if count > 2 or lower in words["complement_lead"] or lower in words["pair_link"]:
                return False
            if count == 0 and lower in words["name_stop"]:
                continue
        return False

    def _starts_setting(self, word: str, position: int, end: int) -> bool:
        """ "in Astana", "on Tuesday": where and when it was signed, not part of the name."""
        if word not in self.words["setting_lead"]:
            return False
        following = WORD.search(self.text, position, end)
        if following is None:
            return False
        if following.group(0).lower() in self.when_words:
            return True
        ent = next(iter(self.context.ents.between(following.start(), following.end())), None)
        return (
            ent is not None
            and ent.label_ == "GPE"
            and self.context.gazetteer.kind(self.context.ents.canonical(ent)) == "city"
        )

    def signatories(self, position: int, end: int) -> list[str]:
        """The capitalised parties after the first "between"/"by" past ``position``:
        "between KazakhExport and the Azerbaijan Export Promotion Agency" gives both."""
        words = self.words
        lead = next(
            (
                w
                for w in WORD.finditer(self.text, position, end)
                if w.group(0).lower() in words["signatory_lead"]
            ),
            None,
        )
        if lead is None:
            return []
        parties: list[tuple[int, int]] = []
        current: tuple[int, int] | None = None
        last = lead.end()
        for word in WORD.finditer(self.text, lead.end(), end):
            lower = word.group(0).lower()
            gap = self.text[last : word.start()].strip()
            if gap not in {"", ","}:
                break
            if word.group(0)[:1].isupper():
                if current is not None and gap == "":
                    current = (current[0], word.end())  # "Azerbaijan Export Promotion Agency"
                else:
                    if current is not None:
                        parties.append(current)
                    current = (word.start(), word.end())
            elif (
                current is not None
                and gap == ""
                and lower in words["complement_lead"] - words["setting_lead"]
            ):
                following = WORD.search(self.text, word.end(), end)  # "State Oil Company of
                if following is None or not following.group(0)[:1].isupper():  # Azerbaijan"
                    break
            elif lower in words["pair_link"] and current is not None:
                parties.append(current)
                current = None
            elif not (lower in words["name_stop"] and current is None):
                break
            last = word.end()
        if current is not None:
            parties.append(current)
        return [self.text[a:b] for a, b in parties]
