"""The process entry of `specgen` and `python -m generator`: Ctrl-C at any moment ends with one line and exit 130.

Importing this module installs the first guard: until the command line is running (the imports take most of a
second: black, jinja2, the validator), an interrupt ends the process at once; nothing has been written yet. From
then on `cli.main` turns it into its own message and leaves the previous output untouched. Only the interpreter's
own start-up, before this module's first lines run, is beyond any program's reach.
"""

from __future__ import annotations

import _signal
import os

INTERRUPTED = 130


def _interrupted_early(signum: int, frame: object) -> None:
    os.write(2, b"interrupted\n")
    os._exit(INTERRUPTED)


_signal.signal(_signal.SIGINT, _interrupted_early)

import signal  # noqa: E402  (after the guard: every import from here on is covered)
import sys  # noqa: E402


def run() -> None:
    from generator.cli import main

    try:
        signal.signal(signal.SIGINT, signal.default_int_handler)
        code = main()
    except KeyboardInterrupt:
        os.write(2, b"interrupted\n")
        code = INTERRUPTED
    finally:
        # The work is done or abandoned: an interrupt from here on ends the process at once, never a traceback.
        _signal.signal(_signal.SIGINT, _interrupted_early)
    # Leave without the interpreter's shutdown: it puts SIGINT's default back, and an interrupt arriving then would
    # end the process by the signal, with no line and no 130. Everything we write is flushed and closed already.
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)
