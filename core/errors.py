"""Errors raised by services; the API and the pages turn them into clear refusals."""


class ActionRefused(Exception):
    """The rules do not allow this action in the current state (API: 409).

    ``message`` is shown to the user as is, so it is written in the user's language.
    """

    def __init__(self, message: str, *, code: str = "refused"):
        super().__init__(message)
        self.message = message
        self.code = code


class PermissionRefused(Exception):
    """This user may not take this action (API: 403)."""

    def __init__(self, message: str, *, code: str = "forbidden"):
        super().__init__(message)
        self.message = message
        self.code = code
