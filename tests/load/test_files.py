"""Reading a source: the size limit, and uploads (file-like objects with a name)."""

from __future__ import annotations

from pathlib import Path

import pytest

import prioritize as pz
from tests.load.tables import REQUIREMENTS_CSV, write


class TestSources:
    def test_oversized_file_is_refused(self, tmp_path: Path) -> None:
        path = write(tmp_path, REQUIREMENTS_CSV, "r.csv")
        with pytest.raises(pz.ValidationError, match="larger than the 0 MB limit") as exc:
            pz.load_requirements(path, max_bytes=10)
        assert exc.value.first.file == str(path)
        assert len(pz.load_requirements(path, max_bytes=None)) == 3

    def test_upload_like_objects(self) -> None:
        import io

        upload = io.BytesIO(REQUIREMENTS_CSV.encode())
        upload.name = "uploaded.csv"  # type: ignore[attr-defined]
        assert list(pz.load_requirements(upload).ids) == ["R1", "R2", "R3"]
        big = io.BytesIO(b"id,title\n" + b"R,t\n" * 100)
        big.name = "big.csv"  # type: ignore[attr-defined]
        with pytest.raises(pz.ValidationError, match="limit") as exc:
            pz.load_requirements(big, max_bytes=50)
        assert exc.value.first.file == "big.csv"
