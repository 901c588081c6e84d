"""A message the server acknowledged survives `kill -9`: the acknowledgement comes only after the commit."""
import base64
import json
import os
import signal
import sys
import threading
import urllib.error
import urllib.request
import uuid
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from conftest import launch_server  # noqa: E402
from lotse_client import sign_up_client  # noqa: E402


def b64(data):
    return base64.b64encode(data).decode()


def point():
    """A real P-256 point: the server refuses anything off the curve."""
    return b64(ec.generate_private_key(ec.SECP256R1()).public_key().public_bytes(Encoding.X962, PublicFormat.UncompressedPoint))


def call(base, method, path, token, body=None):
    request = urllib.request.Request(
        base + path, None if body is None else json.dumps(body).encode(),
        {"Content-Type": "application/json", "Authorization": f"Bearer {token}"}, method=method)
    with urllib.request.urlopen(request, timeout=10) as response:
        return response.status, json.loads(response.read() or b"null")


def member(base, inbox, email):
    token = sign_up_client(base, email, lambda address: inbox.link(inbox.wait_for(address)).split("#token=")[1])
    _, account = call(base, "GET", "/api/v1/account", token)
    sealed = b64(os.urandom(92))
    call(base, "PUT", "/api/v1/keys", token,
         {"agreementKey": point(), "signingKey": point(), "passwordWrappedKeys": sealed, "recoveryWrappedKeys": sealed})
    return token, account["id"]


def test_acknowledged_messages_survive_kill_9(inbox):
    server = launch_server(inbox)
    alice, alice_id = member(server.url, inbox, f"alice.{uuid.uuid4().hex[:8]}@example.org")
    bob, bob_id = member(server.url, inbox, f"bob.{uuid.uuid4().hex[:8]}@example.org")
    conversation = str(uuid.uuid4())
    keys = [{"member": who, "epoch": 1, "distributor": alice_id, "ephemeralPublicKey": point(),
             "wrappedKey": b64(os.urandom(60)), "signature": b64(os.urandom(64))} for who in (alice_id, bob_id)]
    status, _ = call(server.url, "POST", "/api/v1/conversations", alice, {"id": conversation, "members": [bob_id], "keys": keys})
    assert status == 201

    acknowledged, stop = [], threading.Event()

    def send_until_killed():
        while not stop.is_set():
            message = {"id": str(uuid.uuid4()).upper(), "epoch": 1, "ciphertext": b64(os.urandom(200)), "signature": b64(os.urandom(64))}
            try:
                status, stored = call(server.url, "POST", f"/api/v1/conversations/{conversation}/messages", alice, message)
            except (urllib.error.URLError, ConnectionError, OSError):
                return
            if status == 201:
                acknowledged.append((stored["id"], stored["ciphertext"]))

    sender = threading.Thread(target=send_until_killed)
    sender.start()
    while len(acknowledged) < 150:
        threading.Event().wait(0.01)
    os.kill(server.process.pid, signal.SIGKILL)  # no shutdown, no flush: whatever was committed must be there
    server.process.wait()
    stop.set()
    sender.join()
    server.log_file.close()

    restarted = launch_server(inbox, data=server.data)
    try:
        stored, after = {}, 0
        while True:
            _, page = call(restarted.url, "GET", f"/api/v1/conversations/{conversation}/messages?after={after}&limit=200", bob)
            for message in page["messages"]:
                stored[message["id"]] = message
                after = message["seq"]
            if not page["hasMore"]:
                break
        missing = [id for id, _ in acknowledged if id not in stored]
        assert missing == [], f"{len(missing)} of {len(acknowledged)} acknowledged messages were lost"
        assert all(stored[id]["ciphertext"] == ciphertext for id, ciphertext in acknowledged)
        assert sorted(m["seq"] for m in stored.values()) == list(range(1, len(stored) + 1))  # no gaps either
    finally:
        restarted.stop()
