import pytest

from tests.browser.conftest import assert_accessible, login, screenshot

pytestmark = pytest.mark.django_db(transaction=True)


def test_manager_signs_in_on_a_phone_and_lands_on_an_accessible_home(page, manager):
    page.goto("/accounts/login/")
    screenshot(page, "foundation-login-phone")
    assert_accessible(page)

    login(page, manager)

    assert page.get_by_role("heading", level=1).inner_text().startswith("Hello")
    screenshot(page, "foundation-home-manager-phone")
    assert_accessible(page)
