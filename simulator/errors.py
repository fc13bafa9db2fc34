"""The exception types a user ever sees: a sentence that says what to do."""


class UserError(Exception):
    """A problem the user can fix; the CLI prints it as one line and exits with 2."""

    exit_code = 2


class DeviceError(UserError):
    """A device failed mid-session (unplugged, its sound server stopped); what was recorded is kept.

    Its own exit code lets a script tell a broken device from bad input.
    """

    exit_code = 3
