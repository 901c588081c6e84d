"""Video calls behind NAT: the server hands out TURN credentials that a real coturn on loopback accepts (coturn's
REST-API secret scheme), and coturn refuses them once tampered with or expired."""
import base64
import hashlib
import hmac
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from conftest import free_port, launch_server  # noqa: E402
from lotse_client import call, sign_up_client  # noqa: E402

SECRET = "a-secret-shared-by-lotse-and-coturn"


def start_coturn(port):
    """coturn on 127.0.0.1 with use-auth-secret, relaying on loopback only."""
    log = open(Path(tempfile.mkdtemp(prefix="lotse-coturn-")) / "turnserver.log", "w")
    process = subprocess.Popen(
        ["turnserver", "--use-auth-secret", f"--static-auth-secret={SECRET}", "--realm=lotse.test",
         "--listening-ip=127.0.0.1", "--relay-ip=127.0.0.1", f"--listening-port={port}", "--no-tls", "--no-dtls",
         "--no-cli", "--allow-loopback-peers", "--min-port=49160", "--max-port=49300", "--log-file=stdout"],
        stdout=log, stderr=subprocess.STDOUT)
    time.sleep(0.5)
    assert process.poll() is None, "coturn did not start"
    return process, log


def allocates(port, username, credential):
    """Whether coturn grants a relay allocation for these credentials (turnutils_uclient, coturn's own client)."""
    result = subprocess.run(
        ["turnutils_uclient", "-y", "-n", "2", "-m", "1", "-c", "-u", username, "-w", credential, "-p", str(port),
         "127.0.0.1"], capture_output=True, text=True, timeout=60)
    return result.returncode == 0 and "Cannot complete Allocation" not in result.stdout + result.stderr


def test_coturn_accepts_the_credentials_lotse_hands_out(inbox):
    turn_port = free_port()
    coturn, log = start_coturn(turn_port)
    server = launch_server(
        inbox, LOTSE_TURN_URLS=f"turn:127.0.0.1:{turn_port}?transport=udp", LOTSE_TURN_SECRET=SECRET,
        LOTSE_TURN_TTL_SECONDS="600", LOTSE_STUN_URLS=f"stun:127.0.0.1:{turn_port}")
    try:
        token = sign_up_client(server.url, f"caller.{uuid.uuid4().hex[:8]}@example.org",
                               lambda address: inbox.link(inbox.wait_for(address)).split("#token=")[1])
        _, account = call(server.url, "GET", "/api/v1/account", token)
        status, config = call(server.url, "GET", "/api/v1/video/ice-servers", token)
        assert status == 200
        stun, turn = config["iceServers"]
        assert stun == {"urls": [f"stun:127.0.0.1:{turn_port}"]}
        assert turn["urls"] == [f"turn:127.0.0.1:{turn_port}?transport=udp"]
        expiry, user = turn["username"].split(":")
        assert user == account["id"].lower()
        assert abs(int(expiry) - (time.time() + 600)) < 30
        assert config["expiresAt"].startswith(time.strftime("%Y-%m-%dT%H:%M", time.gmtime(int(expiry))))
        expected = base64.b64encode(hmac.new(SECRET.encode(), turn["username"].encode(), hashlib.sha1).digest()).decode()
        assert turn["credential"] == expected

        assert allocates(turn_port, turn["username"], turn["credential"])
        assert not allocates(turn_port, turn["username"], expected[:-4] + "AAA=")
        past = f"{int(time.time()) - 60}:{user}"
        signed = base64.b64encode(hmac.new(SECRET.encode(), past.encode(), hashlib.sha1).digest()).decode()
        assert not allocates(turn_port, past, signed)  # expired: coturn refuses it by itself
    finally:
        server.stop()
        coturn.terminate()
        coturn.wait(timeout=10)
        log.close()
