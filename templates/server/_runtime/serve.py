"""The `python -m <server>` command line: keys, store and workers checked up front, then uvicorn.

Every mistake in the configuration (keys, `--db`, `--workers`) ends the start in one line on stderr, exit
status 2, before a worker starts. Several workers need a store they can share (`--db`): each worker is its own
process, so an in-memory store would give each one its own data.
"""

from __future__ import annotations

import argparse
import copy
import importlib
import json
import os
import secrets
import sqlite3
import sys
from collections.abc import Callable, Sequence
from typing import Any, NoReturn

from fastapi import FastAPI

from .app import DEFAULT_MAX_BODY_BYTES, logger
from .auth import KeyConfigError, keys_as_config, load_keys, load_keys_file

WORKER_CONFIG_ENV = "SPEC_SERVER_WORKER_CONFIG"
"""How the serving process hands its configuration (keys included) to the worker processes it starts."""


def _parser(prog: str, keys_env: str) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog=prog, description="Serve the API (in-memory implementation by default).")
    parser.add_argument("--host", default="127.0.0.1", help="interface to bind (default: 127.0.0.1)")
    parser.add_argument("--port", type=int, default=8000, help="port to bind (default: 8000)")
    parser.add_argument(
        "--keys-file", default=None, help=f"JSON file mapping API keys to scopes (default: ${keys_env}, or a dev key)"
    )
    parser.add_argument(
        "--db", default=None, metavar="PATH", help="keep the data in this SQLite file (WAL mode; default: in memory)"
    )
    parser.add_argument("--workers", type=int, default=1, help="worker processes (more than 1 needs --db)")
    parser.add_argument(
        "--max-body-bytes",
        type=int,
        default=DEFAULT_MAX_BODY_BYTES,
        help=f"largest accepted request body in bytes (default: {DEFAULT_MAX_BODY_BYTES})",
    )
    parser.add_argument("--log-level", default="info", help="uvicorn log level (default: info)")
    return parser


def _fail(prog: str, message: str) -> NoReturn:
    print(f"{prog}: error: {message}", file=sys.stderr, flush=True)
    raise SystemExit(2)


def _keys(args: argparse.Namespace, keys_env: str, dev_key_prefix: str) -> dict[str, Any]:
    keys = load_keys_file(args.keys_file) if args.keys_file else load_keys(None, keys_env)
    if keys:
        return keys_as_config(keys)
    dev_key = dev_key_prefix + secrets.token_urlsafe(24)
    print(f"No API keys configured (${keys_env} or --keys-file); development key with every scope:", flush=True)
    print(f"    Authorization: Bearer {dev_key}", flush=True)
    return {dev_key: ["*"]}


def _app(create_app: Callable[..., FastAPI], config: dict[str, Any]) -> FastAPI:
    return create_app(keys=config["keys"], max_body_bytes=config["max_body_bytes"], db=config["db"])


def worker_app() -> FastAPI:
    """The app of one worker process (uvicorn's factory), from the configuration its parent left in the env:
    `factory` ("module:function" of `create_app`), `keys`, `db` and `max_body_bytes`."""
    config = json.loads(os.environ[WORKER_CONFIG_ENV])
    module, _, name = str(config["factory"]).partition(":")
    create_app: Callable[..., FastAPI] = getattr(importlib.import_module(module), name)
    return _app(create_app, config)


def serve(
    create_app: Callable[..., FastAPI],
    *,
    prog: str,
    keys_env: str,
    argv: Sequence[str] | None = None,
    dev_key_prefix: str = "dev_",
) -> None:
    """`python -m <server>`: parse the command line, check keys, store and workers, run uvicorn."""
    args = _parser(prog, keys_env).parse_args(argv)
    if args.workers < 1:
        _fail(prog, f"--workers must be at least 1, not {args.workers}")
    if args.workers > 1 and not args.db:
        _fail(prog, f"--workers {args.workers} needs --db PATH: the in-memory store cannot be shared by processes")
    if args.max_body_bytes < 1:
        _fail(prog, f"--max-body-bytes must be at least 1, not {args.max_body_bytes}")
    try:
        keys = _keys(args, keys_env, dev_key_prefix)
    except KeyConfigError as exc:
        _fail(prog, str(exc))
    config = {
        "factory": f"{create_app.__module__}:{create_app.__qualname__}",
        "keys": keys,
        "db": args.db,
        "max_body_bytes": args.max_body_bytes,
    }
    try:
        app = _app(create_app, config)  # also creates the database's tables, before any worker opens it
    except sqlite3.Error as exc:
        _fail(prog, f"--db {args.db}: {exc}")

    import uvicorn

    options: dict[str, Any] = {
        "host": args.host,
        "port": args.port,
        "log_level": args.log_level,
        "log_config": _log_config(uvicorn.config.LOGGING_CONFIG, args.log_level),
    }
    if args.workers == 1:
        uvicorn.run(app, **options)
        return
    os.environ[WORKER_CONFIG_ENV] = json.dumps(config)
    uvicorn.run(f"{__name__}:worker_app", factory=True, workers=args.workers, **options)


def _log_config(base: dict[str, Any], level: str) -> dict[str, Any]:
    """uvicorn's logging, with the runtime's own log lines (disconnects, server errors) printed beside its own."""
    config = copy.deepcopy(base)
    config["loggers"][logger.name] = {"handlers": ["default"], "level": level.upper(), "propagate": False}
    return config
