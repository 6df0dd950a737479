from django.conf import settings
from django.utils import translation


class ChosenLanguageMiddleware:
    """Bahasa Indonesia unless the user picked another language.

    Unlike LocaleMiddleware this ignores Accept-Language: office browsers are
    often set to English, and the regulation's reports are Indonesian.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.supported = {code for code, _ in settings.LANGUAGES}

    def __call__(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        language = chosen if chosen in self.supported else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        return response


class RejectNullBytesMiddleware:
    """Answer 400 to a request whose path or parameters hold NUL bytes.

    PostgreSQL text cannot contain NUL, so such a value reaching any lookup
    would otherwise end in a 500 instead of a clear error page.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if "\x00" in request.path or self._has_nul(request.GET):
            return self._bad_request(request)
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        # A view marked ``reads_body_itself`` (the import upload) bounds the body
        # before it is parsed and runs this check itself (``post_has_nul``).
        if getattr(view_func, "reads_body_itself", False):
            return None
        if request.method == "POST" and self._has_nul(request.POST):
            return self._bad_request(request)
        return None

    @staticmethod
    def _bad_request(request):
        from skm.errors import bad_request

        return bad_request(request)

    @classmethod
    def post_has_nul(cls, request) -> bool:
        return request.method == "POST" and cls._has_nul(request.POST)

    @staticmethod
    def _has_nul(query) -> bool:
        return any("\x00" in key or any("\x00" in v for v in values) for key, values in query.lists())


# The public URL groups (no login, no personal data): the questionnaire and the
# published results. Their views choose their own caching headers.
PUBLIC_PATH_PREFIXES = ("/isi/", "/publik/")
PRIVATE_CACHE_CONTROL = "private, no-store"


class PrivateNoStoreMiddleware:
    """``Cache-Control: private, no-store`` on every response outside the public URL
    groups, unless the view set its own Cache-Control.

    Staff pages and downloads show personal data (responses, saran, raw data,
    reports and exports, the dashboard, the round pages): no browser disk cache
    or shared proxy may keep them. Private is the default, so a new staff page
    cannot forget it; only /isi/ and /publik/ opt out, by path. It does not look
    at the login (that would read the session on every request): a signed-out
    request outside the public groups gets a redirect or the login form, for
    which no-store costs nothing.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if "Cache-Control" not in response and not request.path_info.startswith(PUBLIC_PATH_PREFIXES):
            response["Cache-Control"] = PRIVATE_CACHE_CONTROL
        return response
