"""Reads for API tokens."""

from __future__ import annotations

from django.db.models import QuerySet

from .models import ApiToken


def api_token_list_for_user(*, user) -> QuerySet[ApiToken]:
    """The tokens a user manages on the "Token API" page: their own, or every
    token for an admin (superuser). Newest first."""
    tokens = ApiToken.objects.select_related("user", "created_by", "revoked_by")
    if user.is_superuser:
        return tokens.all()
    return tokens.filter(user=user)


def api_token_get_for_user(*, user, prefix: str) -> ApiToken | None:
    return api_token_list_for_user(user=user).filter(prefix=prefix).first()
