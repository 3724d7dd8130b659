"""The process entry of `specgen` and `python -m generator`: Ctrl-C at any moment ends with one line and exit 130.

Until the command line is running (the imports take most of a second: black, jinja2, the validator), an interrupt
ends the process at once: nothing has been written yet. From then on `cli.main` turns it into its own message and
leaves the previous output untouched.
"""

from __future__ import annotations

import os
import signal
import sys
from types import FrameType

INTERRUPTED = 130


def _interrupted_early(signum: int, frame: FrameType | None) -> None:
    os.write(2, b"interrupted\n")
    os._exit(INTERRUPTED)


def run() -> None:
    signal.signal(signal.SIGINT, _interrupted_early)
    from generator.cli import main

    try:
        signal.signal(signal.SIGINT, signal.default_int_handler)
        code = main()
    except KeyboardInterrupt:
        os.write(2, b"interrupted\n")
        code = INTERRUPTED
    sys.exit(code)
