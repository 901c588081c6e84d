"""schemathesis fuzzes the running server against openapi/lotse.yaml: every response must match the contract,
no input may cause a 5xx, documented-valid input must be accepted and invalid input rejected."""
import base64
import hashlib
import hmac
import json
import os
import subprocess
import unicodedata
import urllib.request

import pytest

from conftest import ROOT, launch_server


def login_key(password, salt, iterations=600_000):
    """The browser's derivation (docs/accounts.md), a third implementation beside Swift and JavaScript."""
    master = hashlib.pbkdf2_hmac("sha256", unicodedata.normalize("NFC", password).encode(), salt, iterations, 32)
    prk = hmac.new(b"\0" * 32, master, hashlib.sha256).digest()
    return base64.b64encode(hmac.new(prk, b"lotse login key v1\x01", hashlib.sha256).digest()).decode()


def post(url, body):
    request = urllib.request.Request(url, json.dumps(body).encode(), {"Content-Type": "application/json"})
    with urllib.request.urlopen(request) as response:
        return json.load(response)


@pytest.fixture(scope="module")
def fuzz_server(inbox):
    """A server of its own (fuzzing exhausts the per-address rate limits), with a signed-in client made first."""
    server = launch_server(inbox)
    server.bearer = sign_up_client(server, inbox)
    yield server
    server.stop()


def sign_up_client(fuzz_server, inbox):
    salt = os.urandom(16)
    email = "fuzz.client@example.org"
    kdf = {"algorithm": "pbkdf2-sha256", "iterations": 600_000, "salt": base64.b64encode(salt).decode()}
    key = login_key("fuzzing password", salt)
    post(fuzz_server.url + "/api/v1/auth/register",
         {"email": email, "displayName": "Fuzz", "role": "client", "language": "en", "kdf": kdf, "loginKey": key})
    token = inbox.link(inbox.wait_for(email)).split("#token=")[1]
    post(fuzz_server.url + "/api/v1/auth/verify-email", {"token": token})
    return post(fuzz_server.url + "/api/v1/auth/login", {"email": email, "loginKey": key})["session"]["token"]


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
