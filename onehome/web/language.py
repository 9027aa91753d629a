"""Thai first: pages ignore the browser's Accept-Language, so a worker's English-language
phone still opens OneHome in Thai until they press "English" (kept in the language cookie).
API clients keep Accept-Language, which integrations use to ask for English messages."""


class ThaiFirstMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not request.path.startswith("/api/"):
            request.META.pop("HTTP_ACCEPT_LANGUAGE", None)
        return self.get_response(request)
