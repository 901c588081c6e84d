"""schemathesis fuzzes the running server against openapi/lotse.yaml: every response must match the contract,
no input may cause a 5xx, documented-valid input must be accepted and invalid input rejected."""
import os
import subprocess

import pytest

from conftest import ROOT, launch_server
from lotse_client import look_up, set_up_stand_in_keys, sign_up_client, sign_up_coach


@pytest.fixture(scope="module")
def fuzz_server(inbox):
    """A server of its own (fuzzing exhausts the per-address rate limits), with a signed-in client made first."""
    server = launch_server(inbox)
    token = lambda email: inbox.link(inbox.wait_for(email)).split("#token=")[1]  # noqa: E731
    server.bearer = sign_up_client(server.url, "fuzz.client@example.org", token)
    # A coach with two-factor sign-in on and keys reaches what a client cannot (engagements, availability, programs).
    server.coach = sign_up_coach(server.url, "fuzz.coach@example.org", token)
    set_up_stand_in_keys(server.url, server.coach)
    set_up_stand_in_keys(server.url, server.bearer)
    look_up(server.url, server.coach, "fuzz.client@example.org")
    yield server
    server.stop()


def schemathesis(server, *arguments):
    command = [
        "schemathesis", "run", f"{server.url}/openapi.yaml", "--url", server.url,
        "--checks", "all", "--max-examples", os.environ.get("LOTSE_FUZZ_EXAMPLES", "40"),
        "--seed", "20261122", "--workers", "1", "--max-failures", "20", *arguments,
    ]
    result = subprocess.run(command, capture_output=True, text=True, cwd=ROOT, timeout=900)
    print(result.stdout[-20_000:])
    return result


def test_anonymous_requests_match_the_contract(fuzz_server):
    result = schemathesis(fuzz_server)
    assert result.returncode == 0, result.stdout[-8_000:] + result.stderr[-2_000:]


def test_signed_in_requests_match_the_contract(fuzz_server):
    # Signing out would end the fuzzer's own session halfway; that operation is covered anonymously above.
    result = schemathesis(
        fuzz_server, "-H", f"Authorization: Bearer {fuzz_server.bearer}", "--exclude-operation-id", "logout")
    assert result.returncode == 0, result.stdout[-8_000:] + result.stderr[-2_000:]


def test_coach_requests_match_the_contract(fuzz_server):
    result = schemathesis(
        fuzz_server, "-H", f"Authorization: Bearer {fuzz_server.coach}", "--exclude-operation-id", "logout")
    assert result.returncode == 0, result.stdout[-8_000:] + result.stderr[-2_000:]
