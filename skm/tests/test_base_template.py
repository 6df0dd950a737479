"""The page frame every template extends (templates/base.html, the admin's base_site.html)."""

from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("name", ["login", "admin:login"])
def test_pages_link_the_svg_favicon(client, name):
    html = client.get(reverse(name)).content.decode()
    assert 'rel="icon"' in html and "favicon.svg" in html and 'type="image/svg+xml"' in html


def test_favicon_is_a_small_svg_in_static():
    text = (Path(settings.BASE_DIR) / "static" / "favicon.svg").read_text()
    assert text.startswith("<svg") and len(text) < 2000 and "<script" not in text
