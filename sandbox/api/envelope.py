"""The ``{"data": ...}`` envelope of every successful v1 response, and JSON request bodies."""

from __future__ import annotations

import json
from typing import Any

from django.http import HttpRequest, JsonResponse

from sandbox.api.errors import bad_request


def data_response(data: Any, status: int = 200) -> JsonResponse:
    return JsonResponse({"data": data}, status=status, safe=False)


def json_body(request: HttpRequest) -> dict[str, Any]:
    """The request's JSON object; a missing, broken or non-object body is a 400."""
    if not request.body:
        raise bad_request("The request body must be a JSON object.")
    try:
        body = json.loads(request.body)
    except (ValueError, UnicodeDecodeError):
        raise bad_request("The request body is not valid JSON.") from None
    if not isinstance(body, dict):
        raise bad_request("The request body must be a JSON object.")
    return body
