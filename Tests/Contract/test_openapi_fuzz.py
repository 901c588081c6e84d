"""schemathesis fuzzes the running server against openapi/lotse.yaml: every response must match the contract,
no input may cause a 5xx, documented-valid input must be accepted and invalid input rejected."""
import base64
import os
import re
import subprocess
import time
import uuid

import pytest

from conftest import ROOT, launch_server
from lotse_client import call, enable_two_factor, login_key, look_up, set_up_stand_in_keys, sign_up_client, sign_up_coach


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
    server.staff, server.institution, server.program = program_staff(server, inbox, token)
    yield server
    server.stop()


def program_staff(server, inbox, token):
    """An institution admin with two-factor sign-in on, whose institution has an open program with registration
    questions, a participant and a match, so the fuzzer reaches the programs' operations past their 404s."""
    setup = re.search(r"/setup#token=(\S+)", server.log.read_text()).group(1)
    salt = os.urandom(16)
    key = login_key("a long root password", salt)
    kdf = {"algorithm": "pbkdf2-sha256", "iterations": 600_000, "salt": base64.b64encode(salt).decode()}
    status, _ = call(server.url, "POST", "/api/v1/setup/admin", None, {
        "setupToken": setup, "email": "fuzz.root@example.org", "displayName": "Root", "language": "en", "kdf": kdf,
        "loginKey": key})
    assert status in (200, 201), status
    root = call(server.url, "POST", "/api/v1/auth/login", None,
                {"email": "fuzz.root@example.org", "loginKey": key})[1]["session"]["token"]
    enable_two_factor(server.url, root)
    staff = sign_up_client(server.url, "fuzz.staff@example.org", token, display_name="Fuzz Staff")
    institution = str(uuid.uuid4())
    status, _ = call(server.url, "POST", "/api/v1/admin/institutions", root, {
        "id": institution, "name": "Fuzz University", "allowedDomains": ["example.org"],
        "adminEmail": "fuzz.staff@example.org"})
    assert status == 201, status
    deadline = time.time() + 15
    while True:
        with inbox.lock:
            mails = [m.get_content() for rcpt, m in inbox.messages if "fuzz.staff@example.org" in rcpt]
        found = [re.search(r"/staff-invitation#token=(\S+)", text) for text in mails]
        found = [match for match in found if match]
        if found or time.time() > deadline:
            break
        time.sleep(0.05)
    status, _ = call(server.url, "POST", "/api/v1/staff-invitations/accept", staff, {"token": found[0].group(1)})
    assert status == 200, status
    enable_two_factor(server.url, staff)
    program = str(uuid.uuid4())
    status, _ = call(server.url, "PUT", f"/api/v1/institutions/{institution}/programs/{program}", staff, {
        "name": "Fuzz Program", "description": "", "cohort": "evergreen", "durationMonths": 6, "cadenceWeeks": 2,
        "matchingMode": "choice", "requestExpiryDays": 7})
    assert status == 201, status
    topics = str(uuid.uuid4())
    call(server.url, "PUT", f"/api/v1/programs/{program}/questionnaire", staff, {"questions": [
        {"id": topics, "kind": "topics", "label": "Topics", "options": ["AI", "Career"], "askedOf": ["mentee", "mentor"],
         "use": "weight", "weight": 2, "isRequired": False}]})
    call(server.url, "POST", f"/api/v1/programs/{program}/status", staff, {"status": "open"})
    return staff, institution, program


def schemathesis(server, *arguments, env=None):
    command = [
        "schemathesis", "run", f"{server.url}/openapi.yaml", "--url", server.url,
        "--checks", "all", "--max-examples", os.environ.get("LOTSE_FUZZ_EXAMPLES", "40"),
        "--seed", "20261122", "--workers", "1", "--max-failures", "20", *arguments,
    ]
    result = subprocess.run(command, capture_output=True, text=True, cwd=ROOT, timeout=900, env=env)
    # The whole report (a failing case's curl line can be megabytes), with long lines cut, for reading afterwards.
    (ROOT / "test-output").mkdir(exist_ok=True)
    name = os.environ.get("PYTEST_CURRENT_TEST", "schemathesis").split(":")[-1].split(" ")[0]
    (ROOT / "test-output" / f"{name}.log").write_text("\n".join(line[:2_000] for line in result.stdout.splitlines()))
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


def test_program_staff_requests_match_the_contract(fuzz_server):
    """As an institution admin, on the programs' operations, mostly aimed at the fixture's real program."""
    env = dict(os.environ, SCHEMATHESIS_HOOKS="fuzz_hooks", PYTHONPATH=str(ROOT / "Tests" / "Contract"),
               LOTSE_FUZZ_INSTITUTION=fuzz_server.institution, LOTSE_FUZZ_PROGRAM=fuzz_server.program)
    result = schemathesis(
        fuzz_server, "-H", f"Authorization: Bearer {fuzz_server.staff}", "--exclude-operation-id", "logout",
        "--include-tag", "programs", env=env)
    assert result.returncode == 0, result.stdout[-8_000:] + result.stderr[-2_000:]
