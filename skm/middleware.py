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
