"""The API's JSON parser: REST framework's, with nesting too deep for Python answered 400.

Python's json module recurses once per nested array or object, so a small body of
10,000 brackets raised RecursionError, which REST framework does not catch (a 500, even
at the unauthenticated /api/token/). No OneHome body nests more than a few levels.
"""

from django.utils.translation import gettext as _
from rest_framework import parsers
from rest_framework.exceptions import ParseError


class JSONParser(parsers.JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        try:
            return super().parse(stream, media_type, parser_context)
        except RecursionError:
            raise ParseError(_("JSON parse error - the body is nested too deeply.")) from None
