"""``Authorization: Bearer skm_<prefix>_<secret>``: the token, its scope and its rate limit."""

from __future__ import annotations

import logging
import time

from django.conf import settings
from django.core.cache import cache
from django.utils.translation import gettext as _
from ninja.security import HttpBearer

from skm.cache import CacheUnavailable, counter_incr
from surveys.throttle import parse_rate

from .errors import ApiError
from .models import ApiToken
from .services import TokenRefused, api_token_authenticate

logger = logging.getLogger(__name__)


def rate_limit_hit(*, token: ApiToken) -> int | None:
    """Count one request of the token (SKM_API_RATE_LIMIT, a fixed window in the
    cache); the seconds until the window ends when the token is over its limit."""
    rate = parse_rate(settings.SKM_API_RATE_LIMIT)
    if rate.limit <= 0:
        return None
    now = int(time.time())
    window = now - now % rate.seconds
    key = f"skm:api:rate:{token.pk}:{window}"
    try:
        count = counter_incr(cache, key, rate.seconds + 5)  # one Redis round trip
    except CacheUnavailable:
        # The limit is a guard against runaway clients, counted in the cache: while the
        # cache is down the request goes through (the submission throttle is in the
        # database and still holds), as every page does without its cache.
        logger.warning("API rate limit not counted: cache unavailable (token %s)", token.prefix)
        return None
    if count > rate.limit:
        return window + rate.seconds - now
    return None


class TokenAuth(HttpBearer):
    """A valid token holding ``scope``; the request gets ``api_token`` and the token's user."""

    def __init__(self, scope: str):
        super().__init__()
        self.scope = scope

    def __call__(self, request):
        result = super().__call__(request)
        if result is None:
            raise ApiError(401, "token_missing", _("Token API diperlukan (header Authorization: Bearer)."))
        return result

    def authenticate(self, request, token: str):
        try:
            api_token = api_token_authenticate(raw=token)
        except TokenRefused as exc:
            raise ApiError(401, exc.code, exc.message) from exc
        if self.scope not in api_token.scopes:
            raise ApiError(
                403, "scope_missing", _("Token ini tidak memiliki cakupan %(scope)s.") % {"scope": self.scope}
            )
        wait = rate_limit_hit(token=api_token)
        if wait is not None:
            error = ApiError(429, "rate_limited", _("Terlalu banyak permintaan dengan token ini. Coba lagi nanti."))
            error.retry_after = wait
            raise error
        request.api_token = api_token
        request.user = api_token.user
        return api_token
