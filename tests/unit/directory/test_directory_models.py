"""The directory's models stand on their own: a process that imports only them (as
``linkwell directory sync`` does) can resolve every foreign key, including those to the
``users`` table of another area."""

import subprocess
import sys

RESOLVE_EVERY_FOREIGN_KEY = """
from linkwell.db import Base
import linkwell.directory.models

for table in Base.metadata.sorted_tables:
    for foreign_key in table.foreign_keys:
        foreign_key.column
"""


def test_a_fresh_process_with_only_the_directory_models_resolves_every_foreign_key():
    # A fresh interpreter: in this one, other tests have already imported every model.
    done = subprocess.run([sys.executable, "-c", RESOLVE_EVERY_FOREIGN_KEY],
                          capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
