"""Password reset requests, limited per e-mail address and per client address.

Both reset views (``/kata-sandi/lupa/`` and the admin's ``/admin/lupa-kata-sandi/``)
are ``ThrottledPasswordResetView``. Per clock hour at most
``SKM_PASSWORD_RESET_PER_EMAIL`` (default 5) requests for one e-mail address
(case-insensitive, whoever asks) and ``SKM_PASSWORD_RESET_PER_ADDRESS`` (default
20) requests from one client address (any e-mails) send a mail; 0 switches a
limit off. Every request counts, for an e-mail that exists or not. Over a limit
no mail is sent and the requester gets exactly the answer of every other request
("Periksa email Anda"), so the page never tells whether an address exists or is
limited; the refusal is logged.

The counters live in the Django cache (``CACHE_URL``) under salted hashes (no
e-mail or IP address is stored): shared by every worker with Redis; with the
local-memory default each worker process counts on its own. If the cache fails,
the request is let through and the failure is logged (a reset must keep working).
"""

from __future__ import annotations

import hashlib
import logging

from django.conf import settings
from django.contrib.auth.views import PasswordResetView
from django.core.cache import cache
from django.http import HttpResponseRedirect
from django.utils import timezone

from surveys.throttle import client_address

log = logging.getLogger(__name__)

WINDOW_SECONDS = 3600


def _key(kind: str, value: str, window: int) -> str:
    digest = hashlib.sha256(f"{settings.SECRET_KEY}|{kind}|{value}".encode()).hexdigest()
    return f"skm:pwreset:{kind}:{window}:{digest}"


def _count(key: str) -> int:
    """Add one to a counter of the current window and return it."""
    cache.add(key, 0, timeout=WINDOW_SECONDS + 60)
    try:
        return cache.incr(key)
    except ValueError:  # expired between add and incr: start again
        cache.add(key, 1, timeout=WINDOW_SECONDS + 60)
        return 1


def password_reset_allowed(*, email: str, address: str) -> bool:
    """Count one reset request for ``email`` from ``address``; False when either
    is over its limit this hour (then no mail may be sent)."""
    window = int(timezone.now().timestamp()) // WINDOW_SECONDS
    limits = (
        ("email", (email or "").strip().lower(), int(settings.SKM_PASSWORD_RESET_PER_EMAIL)),
        ("address", address or "", int(settings.SKM_PASSWORD_RESET_PER_ADDRESS)),
    )
    allowed = True
    for kind, value, limit in limits:
        if limit <= 0:
            continue
        try:
            count = _count(_key(kind, value, window))
        except Exception:  # a cache outage must not stop password resets
            log.exception("Password reset limit: the cache failed; request let through")
            continue
        if count > limit:
            log.warning("Password reset limited: more than %d requests this hour for one %s", limit, kind)
            allowed = False
    return allowed


class ThrottledPasswordResetView(PasswordResetView):
    """Django's reset view with the limits above; over a limit it answers as if
    the mail had been sent."""

    def form_valid(self, form):
        email = form.cleaned_data["email"]
        if not password_reset_allowed(email=email, address=client_address(self.request)):
            return HttpResponseRedirect(self.get_success_url())
        return super().form_valid(form)
