"""The asset URLs report templates use, without loading WeasyPrint.

``reports.pdf`` (which imports WeasyPrint) resolves these URLs with its fenced
fetcher; the view-models in ``reports.context`` only need to build them, and
they are imported by the URL configuration, so they must stay light.
"""

ASSET_ORIGIN = "http://skm-assets.invalid"
STATIC_PREFIX = "/static/"  # report templates write /static/reports/report.css
MEDIA_PREFIX = "/media/"  # and /media/<FileField name> for uploaded photos


def media_asset(name: str) -> str:
    """The URL a report uses for a file stored under MEDIA_ROOT."""
    return MEDIA_PREFIX + name
