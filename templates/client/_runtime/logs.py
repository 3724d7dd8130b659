"""Standard `logging` of requests, answers and retries, off unless switched on.

The logger is named after the client package (`logging.getLogger("<package>")`): give it a handler and a level
like any other, or set the client's log environment variable (`Settings.log_env`) to `debug` (every request and
answer, and retries) or `info` (retries only) to get them on stderr. Only the method, URL, status, timing and
retry decisions are logged: never headers (the API key travels in one) nor bodies.
"""

from __future__ import annotations

import logging
import os

_LEVELS = {"debug": logging.DEBUG, "info": logging.INFO}
_configured: set[str] = set()


def client_logger(client_class: type, env_var: str) -> logging.Logger:
    """The logger of the package defining `client_class`, given a stderr handler once if `env_var` asks."""
    logger = logging.getLogger(client_class.__module__.partition(".")[0])
    level = _LEVELS.get(os.environ.get(env_var, "").strip().lower()) if env_var else None
    if level is not None and logger.name not in _configured:
        _configured.add(logger.name)
        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter("%(asctime)s %(name)s %(levelname)s %(message)s"))
        logger.addHandler(handler)
        logger.setLevel(level)
    return logger
