"""The command line: the only package that prints or exits.

Exit codes: 0 ok, 1 invalid input or failed build, 2 usage error. Each module registers its
commands on the group in `common`.
"""

from sopdoc.cli import building, revisions, serving, signing, sources  # noqa: F401  (registers the commands)
from sopdoc.cli.common import cli


def main() -> None:
    cli(prog_name="sopdoc")
