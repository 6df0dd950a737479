"""axe-core (shipped inside axe-playwright-python) finds no critical or serious
violation on any page, as every role and with validation errors shown.

Target: WCAG 2.1 AA. The page list is ``skm.tests.pages.PAGES``."""

import pytest
from axe_playwright_python.sync_playwright import Axe

from .pages import PHONE, ROLES, new_page, pages_of, visit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DESKTOP = {"width": 1280, "height": 900}
BLOCKING = {"critical", "serious"}


def blocking_violations(page) -> list[str]:
    results = Axe().run(page)
    found = []
    for violation in results.response["violations"]:
        if violation["impact"] in BLOCKING:
            targets = ", ".join(" ".join(node["target"]) for node in violation["nodes"][:5])
            found.append(f"{violation['id']} ({violation['impact']}, {len(violation['nodes'])}x): {targets}")
    return found


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
@pytest.mark.parametrize("role", ROLES)
def test_axe_finds_no_serious_violation(browser, live_server, site, role, viewport):
    context, page = new_page(browser, role, live_server.url, viewport=viewport)
    report = []
    for entry in pages_of(role):
        visit(page, live_server.url, entry, site)
        found = blocking_violations(page)
        if found:
            report.append(f"{entry.label}:\n  " + "\n  ".join(found))
    context.close()
    assert not report, "axe-core critical/serious violations:\n" + "\n".join(report)
