from django.utils import translation


class ApiLanguageMiddleware:
    """On /api/: English when the client asks for it first (``Accept-Language: en``),
    else Bahasa Indonesia; the rest of the site keeps the language menu's choice."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not request.path.startswith("/api/"):
            return self.get_response(request)
        first = request.headers.get("Accept-Language", "").split(",")[0].split(";")[0].strip().lower()
        language = "en" if first.startswith("en") else "id"
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers["Content-Language"] = language
        return response
