"""Write the third set's CSVs and judgments.json from the hand-written data in this folder: the held-out set's
``source/make.py`` (the same columns, scale and ``must_not_appear`` rules; this folder's README, section
"must_not_appear") run on this folder.

Run: .venv/bin/python bench/data/matches_third/source/make.py
"""

from __future__ import annotations

from pathlib import Path

CODE = Path(__file__).resolve().parents[2] / "matches_heldout" / "source" / "make.py"
# the held-out make run in this module (its __file__ is this file): it reads and writes this folder
exec(compile(CODE.read_text(encoding="utf-8"), str(CODE), "exec"), globals())
