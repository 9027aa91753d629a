"""Pages compressed on the way out, for phones on slow links.

A case page is 5-173 KB of HTML in the demo (most of it the lists of organisations to
refer or transfer to), 1-17 KB compressed. Only HTML is compressed: the API's JSON and the
exports are left as they are (a proxy may compress them; the API's speed is measured
without it), and static files come compressed from WhiteNoise. Django's middleware pads
each compressed page with random bytes against BREACH-style guessing of secrets.
"""

from django.middleware.gzip import GZipMiddleware


class PageGZipMiddleware(GZipMiddleware):
    def process_response(self, request, response):
        if not response.get("Content-Type", "").startswith("text/html"):
            return response
        return super().process_response(request, response)
