"""The menus and the messages' close buttons at 360 px, by keyboard and by touch: the
site's own script (static/js/menus.js) in place of Bootstrap's."""

import pytest

from tests.browser.conftest import PHONE, assert_accessible, login, screenshot

pytestmark = pytest.mark.django_db(transaction=True)


def focused_text(page) -> str:
    return page.evaluate("document.activeElement.textContent.trim()")


def test_the_account_menu_opens_and_closes_by_keyboard(page, manager):
    login(page, manager)
    toggle = page.get_by_role("button", name="Account menu")
    menu = page.locator(".site-header .dropdown-menu")
    assert toggle.get_attribute("aria-expanded") == "false"
    assert not menu.is_visible()

    toggle.focus()
    page.keyboard.press("Enter")
    assert toggle.get_attribute("aria-expanded") == "true"
    assert menu.is_visible()
    assert_accessible(page)

    page.keyboard.press("ArrowDown")
    assert focused_text(page) == "My calendar"
    page.keyboard.press("ArrowDown")
    assert focused_text(page) == "API tokens"
    page.keyboard.press("ArrowUp")
    assert focused_text(page) == "My calendar"

    page.keyboard.press("Escape")
    assert toggle.get_attribute("aria-expanded") == "false"
    assert not menu.is_visible()
    assert toggle.evaluate("el => el === document.activeElement")

    # Space opens it too; tabbing past the last entry leaves it closed behind.
    page.keyboard.press("Space")
    assert toggle.get_attribute("aria-expanded") == "true"
    entries = menu.locator(".dropdown-item").count()
    for _ in range(entries):
        page.keyboard.press("Tab")
    assert focused_text(page) == "Sign out"
    page.keyboard.press("Tab")
    assert toggle.get_attribute("aria-expanded") == "false"
    assert not menu.is_visible()


def test_the_account_menu_opens_and_closes_by_touch(page, manager):
    login(page, manager)
    toggle = page.get_by_role("button", name="Account menu")
    menu = page.locator(".site-header .dropdown-menu")

    toggle.tap()
    assert toggle.get_attribute("aria-expanded") == "true"
    box = menu.bounding_box()
    assert box["x"] >= 0
    assert box["x"] + box["width"] <= PHONE["width"]
    assert box["y"] >= toggle.bounding_box()["y"]
    screenshot(page, "menus-account-open-phone")

    # A tap beside the menu, on the page's heading.
    page.get_by_role("heading", level=1).tap(position={"x": 5, "y": 5})
    assert toggle.get_attribute("aria-expanded") == "false"
    assert not menu.is_visible()

    toggle.tap()
    toggle.tap()
    assert toggle.get_attribute("aria-expanded") == "false"
    assert not menu.is_visible()

    toggle.tap()
    menu.get_by_role("link", name="Change password").tap()
    page.wait_for_url("**/password_change/")


def test_more_opens_above_the_thumb_bar_and_one_menu_at_a_time(page, manager):
    login(page, manager)
    account = page.get_by_role("button", name="Account menu")
    bar = page.get_by_role("navigation", name="Main")
    more = bar.get_by_role("button", name="More")
    menu = bar.locator(".dropdown-menu")

    account.tap()
    more.tap()
    assert more.get_attribute("aria-expanded") == "true"
    assert account.get_attribute("aria-expanded") == "false"
    box = menu.bounding_box()
    # A dropup: the whole menu on screen, above its button.
    assert box["y"] >= 0
    assert box["y"] + box["height"] <= more.bounding_box()["y"]
    assert box["x"] + box["width"] <= PHONE["width"]
    assert_accessible(page)

    page.keyboard.press("Escape")
    assert more.get_attribute("aria-expanded") == "false"
    assert more.evaluate("el => el === document.activeElement")


def test_a_message_is_closed_by_its_button_and_the_focus_moves_to_the_content(page, manager):
    login(page, manager)
    page.get_by_role("button", name="Account menu").tap()
    page.get_by_role("button", name="Sign out").tap()
    page.wait_for_url("**/accounts/login/")
    message = page.locator(".alert", has_text="You have signed out.")
    assert message.is_visible()

    page.get_by_role("button", name="Dismiss message").focus()
    page.keyboard.press("Enter")

    message.wait_for(state="detached")
    assert page.evaluate("document.activeElement.id") == "main"
