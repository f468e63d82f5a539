"""Artwork the sandbox serves itself, so covers show up with no internet.

The catalog stores Amazon-style image URLs (https://m.media-amazon.com/images/I/<id>.jpg).
Answers rewrite them to this server (``/images/<id>.svg``), where each id draws a stable cover:
a two-colour gradient and rings chosen from a hash of the id.
"""

from __future__ import annotations

import hashlib
import re

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET

_AMAZON_IMAGE = re.compile(
    r"^https://[^/]*(?:media-amazon|ssl-images-amazon)\.com/images/(?:I/)?(?P<id>[\w.-]+?)(?:\.\w+)?$"
)
_ID = re.compile(r"^[\w.-]{1,64}$")


def local_image_url(url: str) -> str:
    match = _AMAZON_IMAGE.match(url or "")
    if not match or not settings.SANDBOX_SERVE_IMAGES:
        return url
    return f"{settings.SANDBOX_PUBLIC_URL}/images/{match.group('id')}.svg"


def _palette(image_id: str) -> tuple[str, str, int]:
    digest = hashlib.sha256(image_id.encode()).digest()
    hue = digest[0] * 360 // 256
    second = (hue + 40 + digest[1] % 80) % 360
    return f"hsl({hue} 55% 42%)", f"hsl({second} 60% 62%)", digest[2] % 4


@require_GET
@cache_control(max_age=31536000, public=True, immutable=True)
def image(request: HttpRequest, image_id: str) -> HttpResponse:
    if not _ID.match(image_id):
        return HttpResponse(status=404)
    dark, light, variant = _palette(image_id)
    rings = "".join(
        f'<circle cx="{60 + 25 * variant}" cy="{140 - 20 * variant}" r="{r}" fill="none" '
        f'stroke="rgba(255,255,255,{0.10 + i * 0.05:.2f})" stroke-width="6"/>'
        for i, r in enumerate((90, 65, 40))
    )
    svg = (
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 200 200" width="500" height="500">'
        '<defs><linearGradient id="g" x1="0" y1="0" x2="1" y2="1">'
        f'<stop offset="0" stop-color="{dark}"/>'
        f'<stop offset="1" stop-color="{light}"/></linearGradient></defs>'
        f'<rect width="200" height="200" fill="url(#g)"/>{rings}'
        '<path d="M128 58v62a14 14 0 1 1-8-12.6V76l-40 9v45a14 14 0 1 1-8-12.6V70z" '
        'fill="rgba(255,255,255,.85)"/></svg>'
    )
    return HttpResponse(svg, content_type="image/svg+xml")
