"""The store knows no alert rules: importing it (and opening a store) loads nothing of
``pipelines.alerts``; the alert policy is handed in by the caller."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent

PROBE = """
import sys
import pipelines.storage
from pipelines.storage import Store
from pipelines.alerts.policy import POLICY  # the caller's import, after the store's
loaded_first = sorted(m for m in sys.modules if m.startswith("pipelines.alerts"))
print(",".join(loaded_first))
"""

STORE_ONLY = """
import sys
import pipelines.storage
from pipelines.storage import matches, store
print(",".join(sorted(m for m in sys.modules if m.startswith("pipelines.alerts"))))
"""


def test_importing_the_store_loads_no_alert_module() -> None:
    done = subprocess.run([sys.executable, "-c", STORE_ONLY], cwd=REPO, capture_output=True,
                          text=True, check=True)
    assert done.stdout.strip() == ""


def test_the_policy_imports_after_the_store_without_a_cycle() -> None:
    done = subprocess.run([sys.executable, "-c", PROBE], cwd=REPO, capture_output=True,
                          text=True, check=True)
    assert "pipelines.alerts.policy" in done.stdout
