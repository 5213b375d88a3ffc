"""Project watches: a small boolean query language that project leads type themselves.

Syntax (what the dashboard's help text explains to advisers):

- words: ``stadskantoor`` — matched as a whole word, case- and accent-insensitive
  ("Café" matches "cafe"); hyphens and spaces inside a term match each other loosely.
- ``"nieuwe brug"`` — a phrase: these words in this order, with only spaces or punctuation
  between them.
- ``parkeer*`` — a prefix: "parkeren", "parkeerplaats", ...
- ``AND``, ``OR``, ``NOT`` (also Dutch ``EN``, ``OF``, ``NIET``), written in capitals, and
  parentheses. NOT binds tightest, then AND, then OR. ``a NOT b`` means a AND NOT b.
- a plain list — ``brug, fietspad tunnel`` — means any of them (OR); commas are OR too.

`parse_query` raises `WatchQueryError` with a Dutch message the adviser can act on.
Matching normalises both sides the same way (NFKD, accents dropped, case-folded), and keeps
a map back to the original characters so `WatchQuery.spans` can highlight the original text.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property

MAX_QUERY_CHARS = 1_000
"""A watch query longer than this is refused (it is typed by people, not generated)."""

_OPERATORS = {"AND": "AND", "EN": "AND", "OR": "OR", "OF": "OR", "NOT": "NOT", "NIET": "NOT"}


class WatchQueryError(ValueError):
    """A watch query cannot be parsed; the (Dutch) message says what to change."""


@dataclass(frozen=True)
class Term:
    """A word, prefix or phrase, as typed (`text`) and as matched (`pattern`)."""

    text: str
    prefix: bool = False
    phrase: bool = False

    @cached_property
    def pattern(self) -> re.Pattern[str]:
        words = [w for w in re.split(r"[\W_]+", normalise(self.text)) if w]
        body = r"[\W_]+".join(re.escape(w) for w in words)
        tail = r"\w*" if self.prefix else ""
        return re.compile(rf"(?<!\w){body}{tail}(?!\w)")

    def display(self) -> str:
        if self.phrase:
            return f'"{self.text}"'
        return self.text + ("*" if self.prefix else "")


@dataclass(frozen=True)
class Node:
    """A boolean combination: op is "AND", "OR" or "NOT" (NOT has one child)."""

    op: str
    children: tuple[Node | Term, ...]


Expr = Node | Term


@dataclass(frozen=True)
class WatchQuery:
    """A parsed watch query. Build it with `parse_query`."""

    source: str
    tree: Expr

    @cached_property
    def terms(self) -> tuple[str, ...]:
        """The positive terms (not under NOT), as typed, for highlighting and mention counts."""
        return tuple(term.display() for term in _positive_terms(self.tree))

    def matches(self, text: str) -> bool:
        """Whether `text` satisfies the query."""
        return _evaluate(self.tree, normalise(text))

    def mentions(self, text: str) -> int:
        """How many times the positive terms occur in `text`."""
        return len(self.spans(text))

    def spans(self, text: str) -> list[tuple[int, int]]:
        """Character spans in the original `text` where positive terms occur (sorted)."""
        folded, index = normalise_with_map(text)
        found: set[tuple[int, int]] = set()
        for term in _positive_terms(self.tree):
            for match in term.pattern.finditer(folded):
                if match.end() > match.start():
                    found.add((index[match.start()], index[match.end() - 1] + 1))
        return sorted(found)

    def sentence_hits(self, sentences: Sequence[str]) -> list[int]:
        """Indices of the sentences that on their own satisfy the query.

        An empty list while the whole document matches means the match spans sentences
        (for example "brug AND fiets" with each word in a different sentence); the scorer
        then falls back to the document's score.
        """
        return [i for i, sentence in enumerate(sentences) if self.matches(sentence)]


def parse_query(text: str) -> WatchQuery:
    """Parse a watch query; raises `WatchQueryError` (Dutch message) for bad syntax.

    >>> parse_query('brug, "nieuwe fietsbrug" NOT Zwijndrecht').matches("De nieuwe brug")
    True
    """
    if not isinstance(text, str) or not text.strip():
        raise WatchQueryError("De zoekopdracht is leeg: geef minstens één zoekwoord op.")
    if len(text) > MAX_QUERY_CHARS:
        raise WatchQueryError(
            f"De zoekopdracht is te lang ({len(text)} tekens); maximaal {MAX_QUERY_CHARS}."
        )
    tokens = _tokenize(text)
    parser = _Parser(tokens)
    tree = parser.parse()
    if not _positive_terms(tree):
        raise WatchQueryError(
            "De zoekopdracht bevat alleen uitsluitingen (NOT); voeg een woord toe dat wél moet "
            "voorkomen."
        )
    return WatchQuery(source=text, tree=tree)


def normalise(text: str) -> str:
    """Case-fold and drop accents, so "Café" and "cafe" compare equal."""
    return normalise_with_map(text)[0]


def normalise_with_map(text: str) -> tuple[str, list[int]]:
    """The normalised text and, per normalised character, its index in the original."""
    out: list[str] = []
    index: list[int] = []
    for position, char in enumerate(text):
        if char.isascii():
            folded = char.lower()
        else:
            decomposed = unicodedata.normalize("NFKD", char)
            folded = "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()
        out.append(folded)
        index.extend([position] * len(folded))
    return "".join(out), index


# --- tokenizer -------------------------------------------------------------------------------

_TOKEN = re.compile(r'\s+|,|\(|\)|"[^"]*"?|[^\s,()"]+')


def _tokenize(text: str) -> list[tuple[str, str]]:
    """(kind, value) pairs: LPAREN, RPAREN, COMMA, OP, TERM, PREFIX, PHRASE."""
    tokens: list[tuple[str, str]] = []
    for match in _TOKEN.finditer(text):
        value = match.group()
        if value.isspace():
            continue
        if value == "(":
            tokens.append(("LPAREN", value))
        elif value == ")":
            tokens.append(("RPAREN", value))
        elif value == ",":
            tokens.append(("COMMA", value))
        elif value.startswith('"'):
            if len(value) < 2 or not value.endswith('"'):
                raise WatchQueryError(
                    "Een aanhalingsteken (\") wordt niet afgesloten; zet de woordgroep tussen "
                    "twee aanhalingstekens."
                )
            inner = value[1:-1].strip()
            if not re.search(r"\w", inner):
                raise WatchQueryError("Een woordgroep tussen aanhalingstekens is leeg.")
            tokens.append(("PHRASE", inner))
        elif value in _OPERATORS:
            tokens.append(("OP", _OPERATORS[value]))
        else:
            tokens.append(_word_token(value))
    return tokens


def _word_token(value: str) -> tuple[str, str]:
    prefix = value.endswith("*")
    word = value.rstrip("*")
    if "*" in word:
        raise WatchQueryError(
            f"In '{value}' staat een * midden in het woord; een * mag alleen aan het eind "
            "(bijvoorbeeld parkeer*)."
        )
    if not re.search(r"\w", word):
        raise WatchQueryError(
            f"'{value}' is geen zoekwoord; gebruik letters of cijfers (een * alleen aan het "
            "eind van een woord)."
        )
    if prefix and len(normalise(word)) < 3:
        raise WatchQueryError(
            f"'{value}' is te kort voor een zoekwoord met *; gebruik minstens drie letters."
        )
    return ("PREFIX" if prefix else "TERM", word)


# --- parser ----------------------------------------------------------------------------------


class _Parser:
    """Recursive descent: or := and ((OR | , | juxtaposition) and)*; and := not (AND not)*."""

    def __init__(self, tokens: list[tuple[str, str]]) -> None:
        self.tokens = tokens
        self.position = 0

    def parse(self) -> Expr:
        if not self.tokens:
            raise WatchQueryError("De zoekopdracht is leeg: geef minstens één zoekwoord op.")
        tree = self._or()
        if self.position < len(self.tokens):
            kind, value = self.tokens[self.position]
            if kind == "RPAREN":
                raise WatchQueryError(
                    "Er staat een sluitend haakje ')' zonder openend haakje '('."
                )
            raise WatchQueryError(f"Onverwacht '{value}' in de zoekopdracht.")  # pragma: no cover
        return tree

    def _peek(self) -> tuple[str, str] | None:
        return self.tokens[self.position] if self.position < len(self.tokens) else None

    def _or(self) -> Expr:
        children = [self._and()]
        while True:
            token = self._peek()
            if token is None or token[0] == "RPAREN":
                break
            if token == ("OP", "OR") or token[0] == "COMMA":
                self.position += 1
                self._expect_operand(token[1])
            children.append(self._and())
        return children[0] if len(children) == 1 else Node("OR", tuple(children))

    def _and(self) -> Expr:
        children = [self._not()]
        while True:
            token = self._peek()
            if token == ("OP", "AND"):
                self.position += 1
                self._expect_operand("AND")
                children.append(self._not())
            elif token == ("OP", "NOT"):
                # "a NOT b" reads as "a AND NOT b".
                children.append(self._not())
            else:
                break
        return children[0] if len(children) == 1 else Node("AND", tuple(children))

    def _not(self) -> Expr:
        token = self._peek()
        if token == ("OP", "NOT"):
            self.position += 1
            self._expect_operand("NOT")
            return Node("NOT", (self._not(),))
        return self._atom()

    def _atom(self) -> Expr:
        token = self._peek()
        if token is None:  # pragma: no cover - guarded by _expect_operand
            raise WatchQueryError("De zoekopdracht houdt op midden in een uitdrukking.")
        kind, value = token
        self.position += 1
        if kind == "LPAREN":
            if self._peek() is not None and self._peek()[0] == "RPAREN":  # type: ignore[index]
                raise WatchQueryError("Er staan lege haakjes '()' in de zoekopdracht.")
            inner = self._or()
            if self._peek() is None or self._peek()[0] != "RPAREN":  # type: ignore[index]
                raise WatchQueryError(
                    "Er ontbreekt een sluitend haakje ')': elk '(' heeft een ')' nodig."
                )
            self.position += 1
            return inner
        if kind == "TERM":
            return Term(value)
        if kind == "PREFIX":
            return Term(value, prefix=True)
        if kind == "PHRASE":
            return Term(value, phrase=True)
        if kind == "RPAREN":
            raise WatchQueryError("Er staat een sluitend haakje ')' zonder openend haakje '('.")
        raise WatchQueryError(
            f"'{value}' staat op een plek waar een zoekwoord hoort (bijvoorbeeld aan het begin "
            "of direct na een ander AND/OR/NOT)."
        )

    def _expect_operand(self, operator: str) -> None:
        token = self._peek()
        if token is None or token[0] in ("RPAREN", "COMMA") or token in (
            ("OP", "AND"),
            ("OP", "OR"),
        ):
            raise WatchQueryError(
                f"Na '{operator}' ontbreekt een zoekwoord; zet er een woord of woordgroep achter "
                "of haal de operator weg."
            )


# --- evaluation ------------------------------------------------------------------------------


def _evaluate(tree: Expr, folded: str) -> bool:
    if isinstance(tree, Term):
        return tree.pattern.search(folded) is not None
    if tree.op == "NOT":
        return not _evaluate(tree.children[0], folded)
    if tree.op == "AND":
        return all(_evaluate(child, folded) for child in tree.children)
    return any(_evaluate(child, folded) for child in tree.children)


def _positive_terms(tree: Expr, negated: bool = False) -> list[Term]:
    if isinstance(tree, Term):
        return [] if negated else [tree]
    flip = negated != (tree.op == "NOT")
    out: list[Term] = []
    for child in tree.children:
        for term in _positive_terms(child, flip):
            if term not in out:
                out.append(term)
    return out
