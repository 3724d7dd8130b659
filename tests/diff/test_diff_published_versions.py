"""Two published releases of a document we did not write (swagger-petstore 1.0.19 and 1.0.26; see data/README.md).

The report was reviewed by hand against `git diff` of the two files. What the review found, asserted below:
- the releases reorder paths, methods and keys, re-quote scalars, move `info.version`, and reword summaries: none
  of that is reported;
- no wire change breaks a client: error statuses were added (400, 404, 422, default), 405 dropped, and a 200 was
  documented where only `default` or an error was (DELETE /pet/{petId}, POST /pet/{petId}, POST /user, ...);
- those new 200s change the generated Python: the client now returns a value where it returned None (harmless to
  callers), but a server implementation must now return a Reply or a Pet (breaking its implementers);
- the unused schemas Customer and Address were deleted, so their model classes are gone (breaking an import);
- so the release was a major one (2.0.0), published as a patch (1.0.26).
"""

from __future__ import annotations

from pathlib import Path

from generator.diff.compare import compare
from generator.diff.report import render
from generator.pipeline import load_valid

DATA = Path(__file__).resolve().parent / "data"
OLD, NEW = "tests/diff/data/petstore-1.0.19.yaml", "tests/diff/data/petstore-1.0.26.yaml"


def test_the_reviewed_report_of_two_petstore_releases() -> None:
    old = load_valid(str(DATA / "petstore-1.0.19.yaml"), lenient=True)[0].data
    new = load_valid(str(DATA / "petstore-1.0.26.yaml"), lenient=True)[0].data
    report = compare(old, new, OLD, NEW)

    assert (report.verdict, report.next_version, report.new_version, report.announced) == ("major", "2.0.0", "1.0.26", False)
    assert [c for c in report.changes if c.level == "wire" and c.breaking] == []
    assert {c.rule for c in report.changes if c.level == "wire"} == {"error-status-added", "error-status-removed", "success-status-added"}
    assert [(c.target, c.rule, c.message) for c in report.breaking] == [
        ("server", "return-changed", "`PetApi.delete_pet` returns `_rt.Reply` instead of `None`"),
        ("server", "return-changed", "`PetApi.update_pet_with_form` returns `Pet` instead of `None`"),
        ("server", "return-changed", "`StoreApi.delete_order` returns `_rt.Reply` instead of `None`"),
        ("server", "return-changed", "`UserApi.delete_user` returns `_rt.Reply` instead of `None`"),
        ("models", "class-removed", "model `Address` removed"),
        ("models", "class-removed", "model `Customer` removed"),
    ]
    assert ("client", "`client.pet.update_pet_with_form` returns `Pet` instead of `None`") in [
        (c.target, c.message) for c in report.changes if not c.breaking]

    pinned = (DATA / "petstore-1.0.19-to-1.0.26.txt").read_text(encoding="utf-8")
    assert render(report, "text") == pinned, "the report changed: review it, then refresh the pinned file (data/README.md)"
