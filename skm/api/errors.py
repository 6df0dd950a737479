"""The API's errors: ``{"galat": <message>, "kode": <code>}``, the message in
Bahasa Indonesia, or English when the request says ``Accept-Language: en``."""

from __future__ import annotations


class ApiError(Exception):
    """An error the API answers with its status and a JSON body."""

    def __init__(self, status: int, code: str, message: str):
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.retry_after: int | None = None
