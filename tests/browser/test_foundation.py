import pytest

from immersion import navigation
from immersion.models import Role
from tests.browser.conftest import assert_accessible, login, screenshot

pytestmark = pytest.mark.django_db(transaction=True)


def fits_the_width(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_manager_signs_in_on_a_phone_and_lands_on_an_accessible_home(page, manager):
    page.goto("/accounts/login/")
    screenshot(page, "foundation-login-phone")
    assert_accessible(page)

    login(page, manager)

    assert page.get_by_role("heading", level=1).inner_text().startswith("Hello")
    assert fits_the_width(page)
    screenshot(page, "foundation-home-manager-phone")
    assert_accessible(page)


def test_a_wrong_password_is_explained_on_the_page(page, manager):
    login_page = "/accounts/login/"
    page.goto(login_page)
    page.get_by_label("Username").fill(manager.username)
    page.get_by_label("Password").fill("not the password")
    page.get_by_role("button", name="Sign in").click()

    assert "correct username and password" in page.locator("main").inner_text()
    screenshot(page, "foundation-login-error-phone")
    assert_accessible(page)


def test_the_first_tab_reveals_the_skip_link_which_jumps_to_the_content(page, manager):
    login(page, manager)

    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to main content")
    assert skip.evaluate("el => el === document.activeElement")
    assert skip.bounding_box()["y"] >= 0
    page.keyboard.press("Enter")

    assert page.evaluate("document.activeElement.id") == "main"


def test_signing_out_from_the_account_menu_on_a_phone(page, cx_lead):
    login(page, cx_lead)

    page.get_by_role("button", name="Account menu").click()
    page.get_by_role("button", name="Sign out").click()

    assert page.url.endswith("/accounts/login/")
    assert "You have signed out." in page.get_by_role("status").inner_text()
    assert_accessible(page)


@pytest.fixture
def many_places(monkeypatch):
    monkeypatch.setattr(navigation, "_items", {})
    names = ["home", "password_change", "password_change_done", "health", "password_reset"]
    for order, url_name in enumerate(names):
        navigation.register(f"Place {order}", url_name, [Role.CX_LEAD], order)
    navigation.register("Last place", "password_reset_done", [Role.CX_LEAD], 99)


def test_entries_beyond_the_thumb_bar_open_from_more(page, cx_lead, many_places):
    login(page, cx_lead)
    bar = page.get_by_role("navigation", name="Main")

    bar.get_by_role("button", name="More").click()

    last = bar.get_by_role("link", name="Last place")
    assert last.is_visible()
    assert last.bounding_box()["height"] >= 44
    screenshot(page, "foundation-more-menu-phone")
    assert_accessible(page)


def test_on_a_desktop_the_menu_is_at_the_top(desktop_page, cx_lead):
    login(desktop_page, cx_lead)

    top = desktop_page.get_by_role("navigation", name="Site")
    assert top.get_by_role("link", name="Home").is_visible()
    assert not desktop_page.get_by_role("navigation", name="Main").is_visible()
    assert fits_the_width(desktop_page)
    screenshot(desktop_page, "foundation-home-cx-lead-desktop")
    assert_accessible(desktop_page)


def test_the_admin_works_for_staff_under_the_content_security_policy(desktop_page, staff):
    login(desktop_page, staff)

    desktop_page.goto("/admin/immersion/team/add/")

    assert desktop_page.get_by_role("heading", name="Add team").is_visible()
    desktop_page.get_by_label("Name:").fill("Harrogate")
    desktop_page.get_by_role("button", name="Save", exact=True).click()
    assert "was added successfully" in desktop_page.locator(".messagelist").inner_text()


def test_the_page_not_found_is_accessible_on_a_phone(page, manager):
    login(page, manager)

    response = page.goto("/no-such-page/")

    assert response.status == 404
    assert page.get_by_role("heading", name="Page not found").is_visible()
    screenshot(page, "foundation-404-phone")
    assert_accessible(page)


def test_a_long_name_keeps_the_phone_header_on_one_row(page, manager):
    manager.first_name = "Bartholomew-Alexander"
    manager.save(update_fields=["first_name"])
    login(page, manager)

    brand = page.locator(".navbar-brand").bounding_box()
    account = page.get_by_role("button", name="Account menu").bounding_box()

    assert abs(brand["y"] + brand["height"] / 2 - (account["y"] + account["height"] / 2)) < 4
    assert account["x"] + account["width"] <= 360
    assert fits_the_width(page)
    screenshot(page, "foundation-long-name-phone")
    assert_accessible(page)


def test_the_cx_leads_real_thumb_bar_fits_a_phone(page, cx_lead):
    # The CX lead has the most entries and the longest labels ("Programmes", "Dashboard").
    login(page, cx_lead)
    bar = page.get_by_role("navigation", name="Main")

    more = bar.get_by_role("button", name="More")
    box = more.bounding_box()
    assert box["x"] + box["width"] <= 360
    assert box["width"] >= 24
    for link in bar.get_by_role("link").all():
        link_box = link.bounding_box()
        assert link_box["x"] >= 0
        assert link_box["x"] + link_box["width"] <= 360
        assert link_box["width"] >= 24
    assert fits_the_width(page)
