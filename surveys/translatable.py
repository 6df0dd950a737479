"""Messages that can be shown again in another language after they were stored.

``gettext`` below is used exactly like Django's (``_("nilai '%(value)s' ...") %
{"value": v}``; makemessages extracts it as usual) and gives the text in the
active language. The result also remembers its msgid and parameters, so a job
that stored the Indonesian text (the worker runs in ``id``) can keep
``to_data(message)`` beside it and the page can ``render`` it in the reader's
language.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as django_gettext


class Message(str):
    """A translated text that knows its msgid and its %-parameters."""

    msgid: str
    params: dict[str, Any] | None

    def __new__(cls, text: str, msgid: str, params: dict[str, Any] | None = None) -> Message:
        message = super().__new__(cls, text)
        message.msgid = msgid
        message.params = params
        return message

    def __mod__(self, params: dict[str, Any]) -> Message:  # type: ignore[override]
        return Message(str.__mod__(str(self), params), self.msgid, dict(params))

    def __reduce__(self):  # picklable (a check run in a child process returns its messages)
        return Message, (str(self), self.msgid, self.params)


def gettext(msgid: str) -> Message:
    return Message(django_gettext(msgid), msgid)


def _param_data(value: Any) -> Any:
    if isinstance(value, Message):  # always a dict, so a nested plain msgid is translated too
        return {"msgid": value.msgid, "params": to_data(value)["params"] if value.params is not None else None}
    if isinstance(value, int | float) and not isinstance(value, bool):
        return value
    return str(value)  # text, paths and exceptions are shown as they were


def to_data(message: str) -> str | dict[str, Any]:
    """JSON for a stored message: its msgid (and parameters), or the text itself
    when it is not a Message (a plain msgid is translated on display as before)."""
    if not isinstance(message, Message):
        return str(message)
    if message.params is None:
        return message.msgid
    return {"msgid": message.msgid, "params": {key: _param_data(value) for key, value in message.params.items()}}


def render(data: str | dict[str, Any], fallback: str = "") -> str:
    """``to_data`` output in the active language; ``fallback`` (the stored text)
    if the data does not fit the catalogue's translation."""
    if isinstance(data, str):
        return django_gettext(data) if data else data
    try:
        if data["params"] is None:
            return django_gettext(data["msgid"])
        params = {key: render(value) if isinstance(value, dict) else value for key, value in data["params"].items()}
        return django_gettext(data["msgid"]) % params
    except (KeyError, TypeError, ValueError):
        return fallback or str(data.get("msgid", ""))
