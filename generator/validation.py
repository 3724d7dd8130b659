"""The validate stage of a generation: the warnings about a document, from the first place that has them.

1. The cache: these very bytes were validated before (result_cache.validation_key).
2. The previous validation of the same file, when only its prose changed since (prose.py): its warnings, located
   again in the new text.
3. The validator (validate.py): in a worker process when the caller has other work meanwhile (the command line
   builds the model, renders and formats while it runs: the validator's import and walk are about a second, most
   of a small document's cold run), else right away.

`Validation.result()` gives the warnings or raises the document's errors, whichever way they were found.
"""

from __future__ import annotations

import json
import multiprocessing
import signal
from multiprocessing.connection import Connection
from typing import Any

from generator import result_cache
from generator.errors import Problem, SpecError
from generator.format import cores
from generator.format_cache import FormatCache
from generator.load import Document, load_document
from generator.prose import prose_changes

Outcome = tuple[bool, list[Problem]]  # (valid, its warnings) or (not valid, every problem found)


def start(doc: Document, *, lenient: bool, cached: bool, background: bool) -> Validation:
    """`cached`: use and fill the user's cache folder. `background`: run the validator in a worker process, if
    this machine has a core to spare."""
    validation = Validation(doc, lenient, result_cache.store("validation") if cached else None)
    if validation.outcome is None and background and cores() > 1:
        try:
            validation.worker = _Worker(doc, lenient)
        except OSError:  # no process to be had: validated here, when asked
            validation.worker = None
    return validation


class Validation:
    def __init__(self, doc: Document, lenient: bool, store: FormatCache | None) -> None:
        self.doc, self.lenient, self.store = doc, lenient, store
        self.key = result_cache.validation_key(doc.path, doc.digest, doc.inlined, lenient) if store else None
        self.worker: _Worker | None = None
        self.outcome: Outcome | None = None
        if self.store is not None and self.key is not None:
            warnings = result_cache.cached_warnings(self.store, self.key)
            if warnings is None:
                warnings = self._after_prose_edit()
            if warnings is not None:
                self.outcome = (True, warnings)

    def result(self) -> list[Problem]:
        """The warnings; SpecError with every problem when the document cannot be generated from."""
        if self.outcome is None:
            self.outcome = self.worker.outcome() if self.worker is not None else None
            if self.outcome is None:  # no worker, or it could not answer (the file changed under it, it died)
                self.outcome = _validate(self.doc, self.lenient)
            if self.outcome[0]:
                self._remember(self.outcome[1])
        valid, problems = self.outcome
        if not valid:
            raise SpecError(problems)
        return list(problems)

    def close(self) -> None:
        """Stop the worker, if it is still at work (the run failed or was interrupted)."""
        if self.worker is not None:
            self.worker.stop()

    def _after_prose_edit(self) -> list[Problem] | None:
        assert self.store is not None and self.key is not None
        text = self.store.get(result_cache.latest_validation_key(self.doc.path, self.lenient))
        try:
            previous = json.loads(text) if text is not None else None
        except ValueError:
            return None
        if not isinstance(previous, dict):
            return None
        warnings = result_cache.problems_from_json(previous.get("warnings"))
        changed = prose_changes(previous.get("data"), self.doc.data) if warnings is not None else None
        # A warning may quote the node it is about, and with it the prose inside: at or above an edit, validate again.
        if warnings is None or changed is None or any(_inside(c, w.pointer or "") for c in changed for w in warnings):
            return None
        located = [self.doc.problem(w.message, w.pointer or "", w.kind).for_rule(w.rule).as_warning() for w in warnings]
        found = sorted(located, key=lambda p: (p.line, p.column, p.message))  # as validate() orders them
        result_cache.remember_warnings(self.store, self.key, found)
        return found

    def _remember(self, warnings: list[Problem]) -> None:
        if self.store is None or self.key is None:
            return
        result_cache.remember_warnings(self.store, self.key, warnings)
        # Kept for the prose check only when every warning is where its pointer says: those can be located again.
        if all(_located_by_pointer(self.doc, w) for w in warnings):
            entry = {"data": self.doc.data, "warnings": result_cache.problems_to_json(warnings)}
            self.store.put(result_cache.latest_validation_key(self.doc.path, self.lenient), json.dumps(entry))


def _inside(pointer: str, ancestor: str) -> bool:
    return pointer == ancestor or pointer.startswith(ancestor + "/")


def _located_by_pointer(doc: Document, warning: Problem) -> bool:
    return (
        warning.file == doc.path
        and warning.pointer is not None
        and warning.severity == "warning"
        and (warning.line, warning.column) == doc.locate(warning.pointer)
    )


def _validate(doc: Document, lenient: bool) -> Outcome:
    from generator.validate import validate  # the validator's libraries take longer to import than it runs

    try:
        return True, validate(doc, lenient=lenient)
    except SpecError as error:
        return False, error.problems


class _Worker:
    """The validator in a process of its own: it reads the document again (the same bytes, or it gives up)."""

    def __init__(self, doc: Document, lenient: bool) -> None:
        context = multiprocessing.get_context("spawn")  # a fresh interpreter: the validator only, not a copy of us
        self._answers, answer = context.Pipe(duplex=False)
        self._process = context.Process(
            target=_work, args=(answer, doc.path, doc.digest, doc.inlined, lenient), daemon=True
        )
        # Ctrl-C reaches the whole process group; the worker ignores it from its first instruction (a spawned
        # interpreter keeps an ignored signal ignored), and this process stops it (close()).
        previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
        try:
            self._process.start()
        finally:
            signal.signal(signal.SIGINT, previous)
        answer.close()

    def outcome(self) -> Outcome | None:
        try:
            outcome: Outcome | None = self._answers.recv()
        except (EOFError, OSError):
            outcome = None
        self.stop()
        return outcome

    def stop(self) -> None:
        self._answers.close()
        if self._process.is_alive():
            self._process.terminate()
        self._process.join()


def _work(answer: Connection, path: str, digest: str, inlined: Any, lenient: bool) -> None:
    """In the worker: the outcome, or None when the document is no longer what the caller read or anything went
    wrong (the caller then validates itself, and reports what goes wrong its own way)."""
    from generator.refs import check_refs

    try:
        doc = check_refs(load_document(path))
        outcome = _validate(doc, lenient) if (doc.digest, doc.inlined) == (digest, inlined) else None
    except Exception:
        outcome = None
    answer.send(outcome)
    answer.close()
