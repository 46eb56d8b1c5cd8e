"""What the translated pages show is all marked for translation, and the check finds what is not."""

from pathlib import Path

import pytest

from tests.i18n.unmarked import unmarked

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"
# Every page, e-mail and fragment the site renders from its own templates.
TRANSLATED = sorted(
    str(path.relative_to(TEMPLATES))
    for pattern in ("*.html", "*.txt")
    for path in TEMPLATES.rglob(pattern)
)


@pytest.mark.parametrize("name", TRANSLATED)
def test_every_word_the_page_shows_is_marked_for_translation(name):
    assert unmarked((TEMPLATES / name).read_text()) == []


def test_the_check_finds_text_attributes_and_english_defaults():
    source = (
        '<p>Hello</p><img alt="A shelf"><a title="{% translate \'Next\' %}">→</a>'
        '{{ name|default:"nobody" }}{% translate "Marked" %}'
        "{% blocktranslate %}Also {{ marked }}{% endblocktranslate %}"
        "<script>var word = 'code';</script>{# a comment #}"
    )

    assert unmarked(source) == ["Hello", "A shelf", "nobody"]
