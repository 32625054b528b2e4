"""User-facing errors: raised anywhere, shown by the CLI without a traceback."""


class SopdocError(Exception):
    """A problem the user can fix; the CLI prints its message and exits with `exit_code`."""

    exit_code = 1


class SourceError(SopdocError):
    """The sources cannot be found or read as a tree."""


class ScaffoldError(SopdocError):
    """`sopdoc new` refuses to write (bad name, file exists)."""
