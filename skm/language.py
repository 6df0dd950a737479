"""The respondents' and citizens' language menu (``templates/_language_menu.html``).

Django's ``set_language`` behind ``csrf_exempt``: the public pages (``/publik/``
is cached and shared byte for byte, ``/isi/`` per respondent) carry no per-visitor
token for it. The only effect is the language cookie and a redirect to a
same-site ``next`` (checked by ``set_language``), so a forged request can at most
switch someone's language. Staff pages keep the CSRF-protected ``set_language``.
"""

from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST
from django.views.i18n import set_language

choose_language = csrf_exempt(require_POST(set_language))
