"""The API documentation (Swagger UI from local static files) runs in a real
browser under the site's Content-Security-Policy and lists the operations."""

import pytest

from skm.tests.test_csp import REPORT_VIOLATIONS


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_docs_render_without_csp_violations(browser, live_server):
    context = browser.new_context()
    violations: list[str] = []
    context.expose_function("__skmCspViolation", lambda text: violations.append(text))
    context.add_init_script(REPORT_VIOLATIONS)
    page = context.new_page()
    page.on("console", lambda msg: "Content Security Policy" in msg.text and violations.append(msg.text))
    page.goto(f"{live_server.url}/api/v1/docs/")
    page.wait_for_selector(".opblock-summary-path", timeout=20_000)
    paths = page.locator(".opblock-summary-path").all_inner_texts()
    context.close()
    assert any("/api/v1/units/{code}/responses/" in p.replace("\u200b", "") for p in paths)
    assert not violations, "CSP violations:\n" + "\n".join(violations)
