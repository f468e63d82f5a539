"""Amazon Music's error object and the errors the sandbox raises.

Every error body is ``{"error": {"status": "<code as string>", "code", "message", "reference"}}``
with optional ``url`` and ``payload``, as in Amazon's error documentation.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.http import JsonResponse

# For 422 Amazon's table has a section but no code in any copy we have; this name is ours.
UNPROCESSABLE = "UNPROCESSABLE_ENTITY"
THROTTLED_MESSAGE = "Too Many Requests. Rate limiting has been applied."


class ApiError(Exception):
    def __init__(
        self,
        status: int,
        code: str,
        message: str,
        *,
        url: str | None = None,
        payload: dict[str, Any] | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.url = url
        self.payload = payload
        self.headers = headers or {}

    def body(self) -> dict[str, Any]:
        error: dict[str, Any] = {
            "status": str(self.status),
            "code": self.code,
            "message": self.message,
            "reference": str(uuid.uuid4()),
        }
        if self.url is not None:
            error["url"] = self.url
        if self.payload is not None:
            error["payload"] = self.payload
        return {"error": error}

    def response(self) -> JsonResponse:
        response = JsonResponse(self.body(), status=self.status)
        for name, value in self.headers.items():
            response[name] = value
        return response


def bad_request(message: str = "Malformed request. Check for missing query parameter.") -> ApiError:
    return ApiError(400, "BAD_REQUEST", message)


def unprocessable(message: str, payload: dict[str, Any] | None = None) -> ApiError:
    return ApiError(422, UNPROCESSABLE, message, payload=payload)


def not_found(message: str = "The requested resource was not found.") -> ApiError:
    return ApiError(404, "RESOURCE_NOT_FOUND", message)


def access_denied(message: str) -> ApiError:
    return ApiError(403, "ACCESS_DENIED", message)


def throttled(retry_after: str | None) -> ApiError:
    headers = {"Retry-After": retry_after} if retry_after else None
    return ApiError(429, "THROTTLED", THROTTLED_MESSAGE, headers=headers)


def internal(message: str = "Internal server error.") -> ApiError:
    return ApiError(500, "INTERNAL", message)
