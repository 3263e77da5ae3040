"""The diff-corpus tool (bench/diff-corpus) is not installed; its tests import it from there."""

import sys
from pathlib import Path

TOOL = Path(__file__).resolve().parents[3] / "bench" / "diff-corpus"
sys.path.insert(0, str(TOOL))
