"""Small tables the loader tests write to files, and the helper that writes them."""

from __future__ import annotations

from pathlib import Path

REQUIREMENTS_CSV = """id,title,requested_by,personas
R1,Validate customer fields,Sales,Sales rep;Order clerk
R2,One product catalogue,Operations,
R3,Fourth approval signature,Finance,Approver
"""

SCORES_CSV = """requirement_id,member,criterion,score,reason
R1,ann,impact,5,Most errors start at entry
R1,bob,impact,4,
R2,ann,impact,3,
"""


def write(tmp_path: Path, text: str, name: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path
