"""A unit logo that decodes into hundreds of MB (a 16-bit 6000 x 6000 RGBA PNG of
a few hundred KB) is refused from its header, without decoding, nothing saved."""

from unittest import mock

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import ImageFile

from followup.tests.test_images_memory import MESSAGE, png16_rgba
from reports.services_profile import unit_profile_update
from surveys.models import Unit

pytestmark = pytest.mark.django_db


def test_heavy_logo_is_refused_without_decoding_and_nothing_saved(unit, alice):
    logo = SimpleUploadedFile("logo.png", png16_rgba(), content_type="image/png")
    decoding = mock.patch.object(ImageFile.ImageFile, "load", side_effect=AssertionError("pixels decoded"))
    with decoding as load, pytest.raises(ValidationError) as exc:
        unit_profile_update(unit=unit, user=alice, logo=logo, city="Kota Lain")
    assert exc.value.messages == [MESSAGE]
    load.assert_not_called()
    unit = Unit.objects.get(pk=unit.pk)
    assert not unit.logo and unit.city != "Kota Lain"
