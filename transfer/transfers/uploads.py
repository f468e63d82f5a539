"""The upload handler that stops reading a body announced past the upload limit.

``CsrfViewMiddleware`` reads ``request.POST`` (the form's token) before any view runs, so a view
alone cannot refuse a 2 GB body unread: Django would already have parsed it and spooled its
files to disk. This handler, first in ``FILE_UPLOAD_HANDLERS``, lets the fields before the first
file through (the CSRF token comes first in our forms) and stops at the first file of such a
body, which Django then drains without storing. The view sees the same ``Content-Length`` and
tells the person why (``intake.request_too_big``).
"""

from __future__ import annotations

from typing import Any

from django.core.files.uploadhandler import FileUploadHandler, StopUpload


class RefuseOversizedUpload(FileUploadHandler):
    refuse = False

    def handle_raw_input(
        self,
        input_data: Any,
        META: dict[str, Any],
        content_length: int,
        boundary: str,
        encoding: str | None = None,
    ) -> None:
        from transfer.transfers.services.intake import request_too_big

        self.refuse = request_too_big(str(content_length))

    def new_file(self, *args: Any, **kwargs: Any) -> None:
        if self.refuse:
            raise StopUpload(connection_reset=False)

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes:
        return raw_data

    def file_complete(self, file_size: int) -> None:
        return None
