import subprocess
from datetime import UTC, datetime

import pytest

from wellkept import backup
from wellkept.store import InventoryStore


def test_compress_passes_an_argument_list_without_a_shell(monkeypatch, tmp_path):
    calls = []

    def fake_run(argv, **kwargs):
        calls.append((argv, kwargs))
        return subprocess.CompletedProcess(argv, 0, "", "")

    monkeypatch.setattr(backup, "_zstd_path", lambda: "/usr/bin/zstd")
    monkeypatch.setattr(backup.subprocess, "run", fake_run)
    odd_name = tmp_path / "inv; rm -rf ~.sqlite3"
    result = backup.compress(odd_name)

    argv, kwargs = calls[0]
    assert argv[0] == "/usr/bin/zstd"
    assert argv[-2:] == ["--", str(odd_name)]
    assert "shell" not in kwargs
    assert result.name.endswith(".sqlite3.zst")


def test_compress_reports_failure(monkeypatch, tmp_path):
    monkeypatch.setattr(backup, "_zstd_path", lambda: "/usr/bin/zstd")
    monkeypatch.setattr(
        backup.subprocess, "run",
        lambda argv, **kw: subprocess.CompletedProcess(argv, 1, "", "boom"),
    )
    with pytest.raises(backup.BackupError, match="boom"):
        backup.compress(tmp_path / "x")


def test_run_backup_names_file_by_utc_time(monkeypatch, tmp_path):
    monkeypatch.setattr(backup, "compress", lambda path: path)
    store = InventoryStore(tmp_path / "inv.sqlite3")
    try:
        when = datetime(2025, 1, 2, 3, 4, 5, tzinfo=UTC)
        out = backup.run_backup(store, tmp_path / "b", now=when)
    finally:
        store.close()
    assert out.name == "inventory-20250102T030405Z.sqlite3"
    assert out.exists()
