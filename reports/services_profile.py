"""Writes of the unit's own profile as the reports print it: letterhead lines,
signatory and logo. The logo goes through the RTL photo checks
(``followup.images``: type read from the content, size and pixel limits, a
fresh re-encoded file without metadata; SVG and anything else refused).
Changes are attributable through the Unit's simple-history."""

from __future__ import annotations

import logging

from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.db import transaction

from followup.images import process_photo
from surveys.models import Unit

logger = logging.getLogger(__name__)

PROFILE_FIELDS = (
    "address",
    "city",
    "phone",
    "website",
    "signatory_name",
    "signatory_title",
    "signatory_rank",
    "signatory_nip",
)


def _delete_later(name: str) -> None:
    if name:
        transaction.on_commit(lambda: default_storage.delete(name))


@transaction.atomic
def unit_profile_update(*, unit: Unit, user, logo=None, remove_logo: bool = False, **fields) -> Unit:
    """Update the profile fields and the logo; nothing is saved when anything is refused."""
    unknown = set(fields) - set(PROFILE_FIELDS)
    if unknown:
        raise TypeError(f"unknown profile fields {sorted(unknown)}")
    content = process_photo(logo) if logo is not None else None  # raises before anything is written
    locked = Unit.objects.select_for_update().get(pk=unit.pk)
    for name, value in fields.items():
        setattr(locked, name, (value or "").strip())
    try:
        locked.full_clean(exclude=["parent", "logo"])
    except ValidationError as exc:
        raise ValidationError(exc.message_dict) from None
    old_logo = locked.logo.name if locked.logo else ""
    if content is not None:
        locked.logo.save(f"{locked.code}.jpg", content, save=False)
    elif remove_logo:
        locked.logo = ""
    locked.__dict__["_history_user"] = user if getattr(user, "is_authenticated", False) else None
    locked.__dict__["_change_reason"] = "profil unit diubah"
    try:
        locked.save()
    except Exception:
        if content is not None:
            default_storage.delete(locked.logo.name)
        raise
    if old_logo and old_logo != (locked.logo.name if locked.logo else ""):
        _delete_later(old_logo)
    logger.info("unit profile updated unit=%s user=%s", locked.code, getattr(user, "pk", None))
    return locked
