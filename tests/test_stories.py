"""The Rasa test stories in tests/stories pass against the trained model (`rasa test core`)."""
from __future__ import annotations

import subprocess
import sys

from bot.config import child_env
from aftersales.settings import PROJECT_ROOT


def test_the_booking_stories_pass(trained_model, tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "rasa", "test", "core", "--model", str(trained_model),
         "--stories", str(PROJECT_ROOT / "tests" / "stories"), "--out", str(tmp_path),
         "--fail-on-prediction-errors", "--no-plot"],
        cwd=PROJECT_ROOT, env=child_env(), capture_output=True, text=True, timeout=900,
    )
    failed = (tmp_path / "failed_test_stories.yml")
    details = failed.read_text() if failed.exists() else ""
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-4000:] + details
