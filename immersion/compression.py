"""Pages compressed on the way out, photos left alone."""

from django.middleware.gzip import GZipMiddleware

COMPRESSIBLE = ("text/", "application/json", "application/javascript", "image/svg+xml")


class TextGZipMiddleware(GZipMiddleware):
    """Django's gzip, BREACH mitigation included, for text answers only.

    Django's own middleware compresses whatever it is given; a photo (JPEG, already
    compressed) would cost a worker a second of CPU for nothing, so it passes untouched.
    Static files arrive compressed by WhiteNoise and are skipped by their encoding.
    """

    def process_response(self, request, response):
        if not response.get("Content-Type", "").startswith(COMPRESSIBLE):
            return response
        return super().process_response(request, response)
