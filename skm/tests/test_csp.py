"""Content-Security-Policy (django-csp): every page works with script-src 'self'
and no 'unsafe-inline'; the browser reports no violation on any page.

The page list is ``skm.tests.pages.PAGES``."""

import pytest

from .pages import PHONE, ROLES, log_in, pages_of, visit

REPORT_VIOLATIONS = """
document.addEventListener("securitypolicyviolation", (e) => {
  window.__skmCspViolation(`${e.violatedDirective} blocked ${e.blockedURI || "inline"} (${e.sourceFile}:${e.lineNumber})`);
});
"""


@pytest.mark.django_db
def test_every_response_carries_the_policy(client, unit, period):
    policy = client.get("/isi/pulutan/").headers["Content-Security-Policy"]
    directives = {d.split()[0]: d.split()[1:] for d in policy.split("; ")}
    assert directives["script-src"] == ["'self'"]
    assert directives["default-src"] == ["'self'"]
    assert directives["object-src"] == ["'none'"]
    assert directives["frame-ancestors"] == ["'none'"]
    assert "'unsafe-inline'" not in policy.split("script-src")[1].split(";")[0]


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("role", ROLES)
def test_no_page_violates_the_policy(browser, live_server, site, role):
    context = browser.new_context(viewport=PHONE, locale="id-ID")
    violations = []
    current = {"label": "login"}
    context.expose_function("__skmCspViolation", lambda text: violations.append(f"{current['label']}: {text}"))
    context.add_init_script(REPORT_VIOLATIONS)
    page = context.new_page()
    page.on(
        "console",
        lambda msg: "Content Security Policy" in msg.text and violations.append(f"{current['label']}: {msg.text}"),
    )
    log_in(page, live_server.url, role)
    for entry in pages_of(role):
        current["label"] = entry.label
        visit(page, live_server.url, entry, site)
        # Scripts that run on interaction (select change, confirm) are wired by addEventListener:
        # the page must have run its own scripts without a violation by now.
        page.wait_for_timeout(100)
    context.close()
    assert not violations, "CSP violations:\n" + "\n".join(dict.fromkeys(violations))
