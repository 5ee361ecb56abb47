"""Write the messy corpus: ``python -m tests.corpus.messy DIR``."""

import sys
from pathlib import Path

from tests.corpus.messy import write_corpus

for written in write_corpus(Path(sys.argv[1] if len(sys.argv) > 1 else "tests/corpus/messy/out")):
    print(written)
