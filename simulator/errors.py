"""The exception types a user ever sees: a sentence that says what to do."""


class UserError(Exception):
    """A problem the user can fix; the CLI prints it as one line and exits with 2."""

    exit_code = 2


def first_line(exc: BaseException) -> str:
    """The first line of an exception's message (its type when it has none), to quote inside a sentence."""
    text = str(exc).strip().splitlines()
    return text[0].rstrip(".") if text else type(exc).__name__


class DeviceError(UserError):
    """A device failed mid-session (unplugged, its sound server stopped); what was recorded is kept.

    Its own exit code lets a script tell a broken device from bad input.
    """

    exit_code = 3


class TranscriptionError(UserError):
    """Whisper failed on the candidate's audio (a damaged model, say); the session and its audio are kept.

    Its own exit code lets a script tell a broken model from bad input or a lost device.
    """

    exit_code = 4
