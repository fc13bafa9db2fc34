"""The one exception type a user ever sees: a sentence that says what to do."""


class UserError(Exception):
    """A problem the user can fix; the CLI prints it as one line and exits with 2."""

    exit_code = 2
