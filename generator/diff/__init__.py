"""What changed between two versions of a document, for the people and programs that use its output.

Two levels: the wire contract (wire.py, schemas.py) and the Python surface of the generated client and server
(surface.py, read from the two Api models). compare.py runs both, semver.py gives the verdict, report.py prints it,
sources.py reads a document from a file or from git, history.py records every regeneration in the output folder.
"""
