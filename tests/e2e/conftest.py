"""Browser tests: Playwright's sync API drives Debian's chromium against the live server.

`make e2e` runs them (pytest -m e2e tests/e2e, on PostgreSQL unless DATABASE_URL says
otherwise). A plain `pytest` skips them; without chromium they skip saying so. Every step
is saved as a screenshot in var/e2e-artifacts/<test name>/NN-step.png.
"""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from django.contrib.auth.models import User

from agencies.roles import membership_assign

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

REPO = Path(__file__).resolve().parents[2]
ARTIFACTS = REPO / "var" / "e2e-artifacts"
CHROMIUM = Path(os.environ.get("E2E_CHROMIUM", "/usr/bin/chromium"))
# Headless in a container: no sandbox (no user namespaces), no GPU, no calls home.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--no-first-run",
]
# The browser's own words (file chooser, date fields) in Chinese, as on the users'
# machines (Debian's chromium-l10n has them; without it they stay English). LANGUAGE
# picks them; LANG stays C.UTF-8, always present, so that Chinese file names survive
# (a locale glibc lacks would turn every download into "download").
CHROMIUM_ENV = {
    **{k: v for k, v in os.environ.items() if not k.startswith("LC_")},
    "LANG": "C.UTF-8",
    "LANGUAGE": "zh_CN:zh",
}
PASSWORD = "e2e-Pass-2024"
CHANGELIST = "/admin/reports/annualreport/"


def pytest_collection_modifyitems(
    config: pytest.Config, items: list[pytest.Item]
) -> None:
    """Browser tests run only when asked for with -m e2e (make e2e)."""
    if "e2e" in (config.getoption("markexpr") or ""):
        return
    skip = pytest.mark.skip(
        reason="浏览器端到端测试用 make e2e 运行（browser tests run only with -m e2e）"
    )
    for item in items:
        if item.get_closest_marker("e2e"):
            item.add_marker(skip)


# --- the browser ------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    """Debian's chromium, headless, for the whole session; a skip when it is absent."""
    if not CHROMIUM.is_file():
        pytest.skip(
            f"没有 chromium（{CHROMIUM}），浏览器测试跳过；"
            "apt-get install chromium 后再运行 make e2e"
        )
    sync_api = pytest.importorskip("playwright.sync_api")
    # Playwright's sync API keeps an event loop running in this thread, and Django then
    # refuses ORM calls from it; the test thread serves no async code, so allow them.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_api.sync_playwright() as playwright:
            launched = playwright.chromium.launch(
                executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, env=CHROMIUM_ENV
            )
            yield launched
            launched.close()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture
def page(browser: Browser, live_server, settings, tmp_path: Path) -> Iterator[Page]:
    """A fresh browser window (no cookies) on the live server, in Chinese."""
    settings.IMPORT_STAGING_ROOT = tmp_path / "staging"
    context = browser.new_context(
        base_url=live_server.url,
        locale="zh-CN",
        timezone_id="Asia/Shanghai",
        viewport={"width": 1366, "height": 900},
        accept_downloads=True,
    )
    context.set_default_timeout(30_000)
    opened = context.new_page()
    yield opened
    context.close()


# --- screenshots ------------------------------------------------------------------------------


@dataclass
class Steps:
    """Numbered full-page screenshots of one test, kept as its artifacts."""

    folder: Path
    count: int = 0

    def shot(self, page: Page, name: str) -> Path:
        """Save the page as NN-name.png and return the path."""
        self.count += 1
        path = self.folder / f"{self.count:02d}-{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path


@pytest.fixture
def steps(request: pytest.FixtureRequest) -> Steps:
    """The test's artifact folder, emptied of an earlier run's screenshots."""
    folder = ARTIFACTS / re.sub(r"[^\w.-]+", "_", request.node.name)
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    return Steps(folder)


# --- people and pages -------------------------------------------------------------------------


def user_with_role(username: str, role: str, **where: object) -> User:
    """A staff account with one role (agencies.roles) and the shared test password."""
    user = User.objects.create_user(username, password=PASSWORD)
    membership_assign(user=user, role=role, **where)
    return user


def login(page: Page, username: str, password: str = PASSWORD) -> None:
    """Log in through the admin's own login form."""
    page.goto("/admin/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("input[type=submit]")
    page.wait_for_selector("#user-tools")


def logout(page: Page) -> None:
    """Log out with the admin's 注销 button (a POST form)."""
    with page.expect_navigation():
        page.click("#logout-form button")


def run_action(page: Page, report_pk: int, action: str, *, loads: bool = True) -> None:
    """Tick one report on the report list and run a bulk action on it; `loads` waits
    for the page it leads to (False for a download)."""
    page.check(f"input.action-select[value='{report_pk}']")
    page.select_option("select[name=action]", action)
    if not loads:
        page.click("button[name=index]")
        return
    with page.expect_navigation():
        page.click("button[name=index]")


def find_report(page: Page, search: str) -> None:
    """Open the report list and search it as a person would (agency name or alias)."""
    page.goto(CHANGELIST)
    page.fill("#searchbar", search)
    with page.expect_navigation():
        page.press("#searchbar", "Enter")


def open_report(page: Page, report_pk: int) -> None:
    """Follow the report's link on the list (it carries the list's filters)."""
    with page.expect_navigation():
        page.click(f"#result_list a[href*='/{report_pk}/change/']")


def messages(page: Page) -> str:
    """The text of the admin's messages on the page, one line each."""
    return "\n".join(page.locator("ul.messagelist li").all_inner_texts())
