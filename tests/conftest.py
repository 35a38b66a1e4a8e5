import os

os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
os.environ.setdefault("GX_ANALYTICS_ENABLED", "False")
os.environ.setdefault("TQDM_DISABLE", "1")

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "seeds"


@pytest.fixture(scope="session")
def prefect_harness():
    """One temporary Prefect server for every test that runs the real flow."""
    from prefect.logging.configuration import setup_logging
    from prefect.testing.utilities import prefect_test_harness
    # Prefect's console handler writes to the sys.stderr of when it is made: made here, that
    # is the session's, not that of a test that captures its own output and then closes it
    setup_logging()
    with prefect_test_harness(server_startup_timeout=120):
        yield
