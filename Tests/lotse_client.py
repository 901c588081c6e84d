"""A minimal Python client for the Lotse API, used by the contract tests and the benchmarks.

It derives the login key exactly as the browser does (docs/accounts.md): a third implementation beside
Public/js/crypto/keys.js and LotseCrypto, checked against the same vectors in Tests/Fixtures/.
"""
import base64
import email
import email.policy
import hashlib
import hmac
import json
import os
import re
import time
import unicodedata
import urllib.parse
import urllib.request
from pathlib import Path
import uuid


def login_key(password, salt, iterations=600_000):
    master = hashlib.pbkdf2_hmac("sha256", unicodedata.normalize("NFC", password).encode(), salt, iterations, 32)
    prk = hmac.new(b"\0" * 32, master, hashlib.sha256).digest()
    return base64.b64encode(hmac.new(prk, b"lotse login key v1\x01", hashlib.sha256).digest()).decode()


def post(url, body):
    request = urllib.request.Request(url, json.dumps(body).encode(), {"Content-Type": "application/json"})
    with urllib.request.urlopen(request) as response:
        return json.load(response)


def sign_up_client(base, email, verification_token, role="client", display_name="Test Client"):
    """Registers an account, verifies it with the token `verification_token(email)` finds, returns a bearer token."""
    salt = os.urandom(16)
    key = login_key("a long test password", salt)
    kdf = {"algorithm": "pbkdf2-sha256", "iterations": 600_000, "salt": base64.b64encode(salt).decode()}
    post(base + "/api/v1/auth/register",
         {"email": email, "displayName": display_name, "role": role, "language": "en", "kdf": kdf, "loginKey": key})
    post(base + "/api/v1/auth/verify-email", {"token": verification_token(email)})
    return post(base + "/api/v1/auth/login", {"email": email, "loginKey": key})["session"]["token"]


def sign_up_coach(base, email, verification_token, display_name="Test Coach"):
    """A coach with two-factor sign-in on (as the role demands); returns the bearer token."""
    token = sign_up_client(base, email, verification_token, role="coach", display_name=display_name)
    enable_two_factor(base, token)
    return token


def enable_two_factor(base, token, address=None):
    import pyotp

    _, setup = call(base, "POST", "/api/v1/account/two-factor/setup", token, address=address)
    call(base, "POST", "/api/v1/account/two-factor/confirm", token, {"code": pyotp.TOTP(setup["secret"]).now()},
         address)


def look_up(base, token, email, address=None):
    """A coach finds someone by address: the key look-up that also lets the coach start a conversation with them."""
    return call(base, "GET", "/api/v1/keys/lookup?email=" + urllib.parse.quote(email), token, address=address)[1]


def b64(data):
    return base64.b64encode(data).decode()


def call(base, method, path, token=None, body=None, address=None):
    """A JSON call with a bearer token; `address` becomes X-Forwarded-For (for servers that trust loopback)."""
    headers = {"Content-Type": "application/json"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    if address:
        headers["X-Forwarded-For"] = address
    request = urllib.request.Request(
        base + path, None if body is None else json.dumps(body).encode(), headers, method=method)
    with urllib.request.urlopen(request, timeout=30) as response:
        return response.status, json.loads(response.read() or b"null")


def p256_point():
    """A real P-256 point (the server refuses anything off the curve); its private half is thrown away."""
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

    key = ec.generate_private_key(ec.SECP256R1()).public_key()
    return b64(key.public_bytes(Encoding.X962, PublicFormat.UncompressedPoint))


def set_up_stand_in_keys(base, token, address=None):
    """Gives an account well-formed keys the load and durability tests never need to open."""
    sealed = b64(os.urandom(92))
    call(base, "PUT", "/api/v1/keys", token, {"agreementKey": p256_point(), "signingKey": p256_point(),
                                              "passwordWrappedKeys": sealed, "recoveryWrappedKeys": sealed}, address)


def stand_in_conversation(base, token, creator, members, address=None):
    """Starts a conversation whose epoch-1 keys are well-formed random bytes; returns its ID."""
    conversation = str(uuid.uuid4()).upper()
    keys = [{"member": who, "epoch": 1, "distributor": creator, "ephemeralPublicKey": p256_point(),
             "wrappedKey": b64(os.urandom(60)), "signature": b64(os.urandom(64))} for who in [creator, *members]]
    status, _ = call(base, "POST", "/api/v1/conversations", token,
                     {"id": conversation, "members": members, "keys": keys}, address)
    assert status == 201
    return conversation


def outbox_token(outbox, address, attempts=300):
    """The link token of the first mail to `address` that a server without SMTP wrote to its outbox folder."""
    for _ in range(attempts):
        for mail in sorted(Path(outbox).glob("*.eml")):
            message = email.message_from_bytes(mail.read_bytes(), policy=email.policy.default)
            if address in message["To"]:
                return re.search(r"#token=(\S+)", message.get_content()).group(1)
        time.sleep(0.05)
    raise SystemExit(f"no mail to {address} appeared in {outbox}")


def account_with_keys(base, outbox, email, role, address, display_name, language="en"):
    """For load tests: signs up from `address` (a trusted proxy's X-Forwarded-For, so per-address limits do not stop
    the set-up), verifies through the outbox, signs in, gives stand-in keys, and turns on two-factor sign-in for a
    coach. Returns (bearer token, account ID)."""
    salt = os.urandom(16)
    key = login_key("a long bench password", salt)
    kdf = {"algorithm": "pbkdf2-sha256", "iterations": 600_000, "salt": b64(salt)}
    call(base, "POST", "/api/v1/auth/register", None, {"email": email, "displayName": display_name, "role": role,
         "language": language, "kdf": kdf, "loginKey": key}, address)
    call(base, "POST", "/api/v1/auth/verify-email", None, {"token": outbox_token(outbox, email)}, address)
    token = call(base, "POST", "/api/v1/auth/login", None, {"email": email, "loginKey": key}, address)[1]["session"]["token"]
    set_up_stand_in_keys(base, token, address)
    if role == "coach":
        enable_two_factor(base, token, address)
    return token, call(base, "GET", "/api/v1/account", token, address=address)[1]["id"]
