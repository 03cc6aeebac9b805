"""Trains the Rasa model when (and only when) the training data, domain or config changed.

The model's file name carries a fingerprint of everything that shapes it, so an unchanged
project reuses its model and a changed one can never run a stale model.
"""
from __future__ import annotations

import hashlib
import logging
import os
import subprocess
import sys
import time
from pathlib import Path

from aftersales.settings import PROJECT_ROOT

log = logging.getLogger(__name__)
MODELS_DIR = Path(os.environ.get("MODELS_DIR", PROJECT_ROOT / "models"))
KEEP_MODELS = 3


def training_inputs() -> list[Path]:
    nlu = PROJECT_ROOT / "nlu"
    files = [PROJECT_ROOT / "domain.yml", PROJECT_ROOT / "config.yml"]
    files += sorted(nlu.rglob("*.yml")) + sorted(nlu.rglob("*.yaml"))
    files += sorted(nlu.rglob("*.txt"))  # the tokeniser's dictionary, the intent model's lexicon
    files += sorted((nlu / "components").rglob("*.py"))  # custom components shape the model too
    return files


def fingerprint() -> str:
    digest = hashlib.sha256()
    for path in training_inputs():
        digest.update(str(path.relative_to(PROJECT_ROOT)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def model_path() -> Path:
    return MODELS_DIR / f"dealer-care-{fingerprint()}.tar.gz"


def ensure_model(env: dict[str, str] | None = None) -> Path:
    """The current model, trained first if the inputs changed since the last training."""
    path = model_path()
    if path.exists():
        log.info("model up to date: %s", path.name)
        return path
    log.info("training data changed: training %s (progress below)", path.name)
    started = time.monotonic()
    subprocess.run(
        [
            str(Path(sys.executable).with_name("rasa")), "train",
            "--domain", "domain.yml", "--config", "config.yml", "--data", "nlu",
            "--out", str(MODELS_DIR), "--fixed-model-name", path.name[: -len(".tar.gz")],
        ],
        cwd=PROJECT_ROOT,
        env=env,
        check=True,
    )
    log.info("model trained in %.0f s: %s", time.monotonic() - started, path.name)
    _remove_old_models(keep=path)
    return path


def _remove_old_models(keep: Path) -> None:
    """Keeps the new model and the newest few before it (to go back to), deletes the rest."""
    others = sorted(
        (m for m in MODELS_DIR.glob("dealer-care-*.tar.gz") if m != keep),
        key=lambda m: m.stat().st_mtime,
        reverse=True,
    )
    for old in others[KEEP_MODELS - 1:]:
        old.unlink(missing_ok=True)


def main() -> None:
    from bot.config import child_env

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s", datefmt="%H:%M:%S")
    print(ensure_model(child_env()))


if __name__ == "__main__":
    main()
