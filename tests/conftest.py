"""Suite-wide settings: read-model caches go to a temporary folder, never the user's."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest

from domain.projections.location import ENV_DIR


@pytest.fixture(scope="session", autouse=True)
def read_models_in_tmp(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """Point every book's read-model cache (and any subprocess's) at a temporary folder."""
    saved = os.environ.get(ENV_DIR)
    os.environ[ENV_DIR] = str(tmp_path_factory.mktemp("read-models"))
    yield
    if saved is None:
        del os.environ[ENV_DIR]
    else:
        os.environ[ENV_DIR] = saved
