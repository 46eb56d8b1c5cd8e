"""Finds the words a template shows that no translation tag holds.

The template is split by Django's own lexer; what sits inside `{% translate %}`,
`{% blocktranslate %}` and comments is dropped, every other tag and variable becomes a
blank, and the HTML that is left is read for text and for the attributes people read
(`alt`, `title`, `placeholder`, `aria-label`). A `default` or `yesno` argument written
in English inside `{{ }}` counts too.
"""

import re
from html.parser import HTMLParser

from django.template.base import Lexer, TokenType

SHOWN_ATTRIBUTES = {"alt", "title", "placeholder", "aria-label", "aria-description"}
HIDDEN_ELEMENTS = {"script", "style"}
WORD = re.compile(r"[A-Za-z]{2,}")
SHOWN_ARGUMENT = re.compile(r"\|(?:default|default_if_none|yesno):\"([^\"]*)\"")
# Inline code and placeholders a translator must not touch.
NOT_WORDS = re.compile(r"&[a-z]+;|https?://\S+|\b[a-z_]+\.[a-z_.]+\b")


class _Text(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=False)
        self.found: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag, attrs):
        if tag in HIDDEN_ELEMENTS:
            self._hidden += 1
        for name, value in attrs:
            if name in SHOWN_ATTRIBUTES and value:
                self.found.append(value)

    def handle_endtag(self, tag):
        if tag in HIDDEN_ELEMENTS and self._hidden:
            self._hidden -= 1

    def handle_data(self, data):
        if not self._hidden:
            self.found.append(data)


def unmarked(source: str) -> list[str]:
    html, arguments = [], []
    skipping = None
    for token in Lexer(source).tokenize():
        content = token.contents.strip()
        name = content.split()[0] if content else ""
        if skipping:
            if token.token_type == TokenType.BLOCK and name == skipping:
                skipping = None
            continue
        if token.token_type == TokenType.TEXT:
            html.append(token.contents)
        elif token.token_type == TokenType.BLOCK and name in ("blocktranslate", "blocktrans"):
            skipping = "endblocktranslate" if name == "blocktranslate" else "endblocktrans"
        elif token.token_type == TokenType.BLOCK and name == "comment":
            skipping = "endcomment"
        elif token.token_type == TokenType.VAR:
            arguments.extend(SHOWN_ARGUMENT.findall(token.contents))
            html.append(" ")
        else:
            html.append(" ")
    reader = _Text()
    reader.feed("".join(html))
    reader.close()
    shown = [" ".join(text.split()) for text in reader.found + arguments]
    return [text for text in shown if WORD.search(NOT_WORDS.sub("", text))]
