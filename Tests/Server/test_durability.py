"""A message the server acknowledged survives `kill -9`: the acknowledgement comes only after the commit."""
import os
import signal
import sys
import threading
import urllib.error
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from conftest import launch_server  # noqa: E402
from lotse_client import (  # noqa: E402
    b64, call, look_up, set_up_stand_in_keys, sign_up_client, sign_up_coach, stand_in_conversation)


def member(base, inbox, email, coach=False):
    sign_up = sign_up_coach if coach else sign_up_client
    token = sign_up(base, email, lambda address: inbox.link(inbox.wait_for(address)).split("#token=")[1])
    _, account = call(base, "GET", "/api/v1/account", token)
    set_up_stand_in_keys(base, token)
    return token, account["id"]


def test_acknowledged_messages_survive_kill_9(inbox):
    server = launch_server(inbox)
    alice, alice_id = member(server.url, inbox, f"alice.{uuid.uuid4().hex[:8]}@example.org", coach=True)
    bob_email = f"bob.{uuid.uuid4().hex[:8]}@example.org"
    bob, bob_id = member(server.url, inbox, bob_email)
    look_up(server.url, alice, bob_email)  # a coach writes to people she found by address
    conversation = stand_in_conversation(server.url, alice, alice_id, [bob_id])

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
