"""Fixtures of the deploy tests: one patched moto server per session, one account per test."""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from deploy_harness import Account, MotoServer, new_account


@pytest.fixture(scope="session")
def moto_server(request: pytest.FixtureRequest) -> MotoServer:
    """The moto server; its finalizer stops it even when tests fail or the session aborts."""
    workdir = Path(tempfile.mkdtemp(prefix="deploy-harness-"))
    server = MotoServer(workdir)

    def finish() -> None:
        server.stop()
        shutil.rmtree(workdir, ignore_errors=True)

    request.addfinalizer(finish)
    return server.start()


@pytest.fixture
def account(moto_server: MotoServer, request: pytest.FixtureRequest) -> Iterator[Account]:
    """A fresh emulated account; on failure, the tail of the server's log is reported."""
    yield new_account(moto_server)
    report = getattr(request.node, "rep_call", None)
    if report is not None and report.failed:
        print(f"--- moto server log (tail) ---\n{moto_server.log_tail(120)}")


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]):
    report = yield
    setattr(item, f"rep_{report.when}", report)
    return report
