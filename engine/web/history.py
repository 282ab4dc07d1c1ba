"""Every save kept in a git repository of its own (`.baocao/lich-su.git` in the served folder).

A separate git directory, so a folder that already is (or lies inside) a git work tree is left alone.
Callers hold the workspace lock around `record`.
"""

from __future__ import annotations

import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from engine.diff import data_diff
from engine.errors import ReportError
from engine.render import staged

GIT_DIR = Path(".baocao") / "lich-su.git"
IDENTITY = ("-c", "user.name=baocao serve", "-c", "user.email=baocao@localhost", "-c", "commit.gpgsign=false")


@dataclass(frozen=True)
class Version:
    commit: str
    when: str
    message: str


class History:
    def __init__(self, root: Path) -> None:
        self.root = root
        self.git_dir = root / GIT_DIR
        self.available = shutil.which("git") is not None

    def _git(self, *args: str, check: bool = True) -> subprocess.CompletedProcess[bytes]:
        command = ["git", f"--git-dir={self.git_dir}", f"--work-tree={self.root}", *IDENTITY, *args]
        return subprocess.run(command, capture_output=True, check=check, timeout=60)

    def record(self, name: str, message: str) -> bool:
        """Commit the file as it is now, when it differs from its last recorded version. A git failure
        does not undo the save it follows: it is reported as False (the history page shows what exists)."""
        if not self.available:
            return False
        try:
            if not (self.git_dir / "HEAD").exists():
                self.git_dir.parent.mkdir(exist_ok=True)
                subprocess.run(
                    ["git", "init", "-q", "--bare", str(self.git_dir)], capture_output=True, check=True
                )
            self._git("add", "--force", "--", name)
            if self._git("diff", "--cached", "--quiet", "--", name, check=False).returncode != 0:
                self._git("commit", "-q", "-m", message, "--", name)
        except (OSError, subprocess.SubprocessError):
            return False
        return True

    def versions(self, name: str) -> list[Version]:
        """Newest first."""
        if not self.available or not (self.git_dir / "HEAD").exists():
            return []
        result = self._git("log", "--format=%H%x09%ad%x09%s", "--date=format:%d/%m/%Y %H:%M:%S", "--", name)
        rows = (line.split("\t", 2) for line in result.stdout.decode().splitlines())
        return [Version(*row) for row in rows if len(row) == 3]

    def content(self, commit: str, name: str) -> bytes | None:
        result = self._git("show", f"{commit}:{name}", check=False)
        return result.stdout if result.returncode == 0 else None

    def change_report(self, file: Path, name: str, older: str, newer: str) -> list[str]:
        """`baocao diff`'s report between two recorded versions (each checked beside the file)."""
        old, new = self.content(older, name), self.content(newer, name)
        if old is None or new is None:
            return ["(không đọc được phiên bản trong lịch sử)"]
        return versions_diff(file, old, new, f"{name}@{older[:7]}", f"{name}@{newer[:7]}")


def versions_diff(file: Path, old: bytes, new: bytes, old_name: str, new_name: str) -> list[str]:
    """`baocao diff`'s report between two versions of `file`, each checked beside it (so `ky_truoc` and
    the workspace resolve as for the file itself); data errors are reported as lines."""
    with staged(file, old) as old_file, staged(file, new) as new_file:
        try:
            return data_diff(old_file, new_file, old_name=old_name, new_name=new_name).lines()
        except ReportError as error:
            return [issue.format() for issue in error.issues]
