"""The second held-out set stays frozen: only its checksums are read here."""

import hashlib

from linkwell.settings import PROJECT_ROOT

HELD_OUT = PROJECT_ROOT / "tests" / "fixtures" / "advice" / "heldout2"


def test_second_held_out_files_are_as_frozen():
    sums = (HELD_OUT / "SHA256SUMS").read_text(encoding="utf-8").split("\n")
    recorded = dict(reversed(line.split()) for line in sums if line.strip())
    assert {"heldout.jsonl", "briefs.txt"} <= set(recorded)
    for name, digest in recorded.items():
        assert hashlib.sha256((HELD_OUT / name).read_bytes()).hexdigest() == digest, name
