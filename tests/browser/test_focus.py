"""Focus is always visible: a ring that stands out on the brand header at laptop size, and
never hidden under the phone's fixed bottom bar."""

import pytest

from tests import factories
from tests.browser.conftest import login

pytestmark = pytest.mark.django_db(transaction=True)

CONTRAST = """
(pair) => {
  const rgb = (text) => text.match(/\\d+(\\.\\d+)?/g).slice(0, 3).map(Number);
  const lum = (c) => {
    const [r, g, b] = rgb(c).map((v) => {
      v /= 255;
      return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4);
    });
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
  };
  const [a, b] = pair.map(lum).sort((x, y) => y - x);
  return (a + 0.05) / (b + 0.05);
}
"""


def tab_until(page, selector: str, limit: int = 40) -> None:
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate(f"() => document.activeElement.matches({selector!r})"):
            return
    raise AssertionError(f"Tab never reached {selector}")


def test_the_top_navigations_focus_ring_stands_out_on_the_header(new_page, cx_lead):
    page = new_page(1366, 800)
    login(page, cx_lead)
    page.goto("/")

    tab_until(page, ".site-header .nav-link")

    ring = page.evaluate(
        """() => {
          const link = document.activeElement;
          const style = getComputedStyle(link);
          let node = link, background = 'rgba(0, 0, 0, 0)';
          while (node && /rgba\\(0, 0, 0, 0\\)|transparent/.test(background)) {
            background = getComputedStyle(node).backgroundColor;
            node = node.parentElement;
          }
          return {color: style.outlineColor, width: parseFloat(style.outlineWidth),
                  style: style.outlineStyle, background};
        }"""
    )
    assert ring["style"] == "solid"
    assert ring["width"] >= 2
    assert page.evaluate(CONTRAST, [ring["color"], ring["background"]]) >= 3


def test_focus_is_never_hidden_under_the_phones_bottom_bar(page, manager, store_a):
    walk = factories.SessionFactory(team=store_a, lead=manager)
    for n in range(12):
        factories.ObservationFactory(session=walk, author=manager, what_happened=f"Note {n}")
    # Without smooth scrolling, where the focus lands can be read at once after each Tab.
    page.emulate_media(reduced_motion="reduce")
    login(page, manager)
    page.goto("/journal/")
    links = page.locator("main a.fw-semibold")

    hidden = []
    for index in range(1, links.count()):
        # The next link sits in the window, under the bar, when Tab reaches it: the
        # browser sees it on screen and would not scroll without being told of the bar.
        links.nth(index - 1).evaluate(
            """(previous, index) => {
              previous.focus({preventScroll: true});
              const next = document.querySelectorAll('main a.fw-semibold')[index];
              window.scrollBy(0, next.getBoundingClientRect().bottom - (innerHeight - 12));
            }""",
            index,
        )
        page.keyboard.press("Tab")
        covered = page.evaluate(
            """() => {
              const box = document.activeElement.getBoundingClientRect();
              return box.bottom > document.querySelector('.bottom-nav').getBoundingClientRect().top;
            }"""
        )
        if covered:
            hidden.append(links.nth(index).inner_text())

    assert hidden == []
