"""A minimal Python client for the Lotse API, used by the contract tests and the benchmarks.

It derives the login key exactly as the browser does (docs/accounts.md): a third implementation beside
Public/js/crypto/keys.js and LotseCrypto, checked against the same vectors in Tests/Fixtures/.
"""
import base64
import hashlib
import hmac
import json
import os
import unicodedata
import urllib.request


def login_key(password, salt, iterations=600_000):
    master = hashlib.pbkdf2_hmac("sha256", unicodedata.normalize("NFC", password).encode(), salt, iterations, 32)
    prk = hmac.new(b"\0" * 32, master, hashlib.sha256).digest()
    return base64.b64encode(hmac.new(prk, b"lotse login key v1\x01", hashlib.sha256).digest()).decode()


def post(url, body):
    request = urllib.request.Request(url, json.dumps(body).encode(), {"Content-Type": "application/json"})
    with urllib.request.urlopen(request) as response:
        return json.load(response)


def sign_up_client(base, email, verification_token):
    """Registers a client, verifies it with the token `verification_token(email)` finds, returns a bearer token."""
    salt = os.urandom(16)
    key = login_key("a long test password", salt)
    kdf = {"algorithm": "pbkdf2-sha256", "iterations": 600_000, "salt": base64.b64encode(salt).decode()}
    post(base + "/api/v1/auth/register",
         {"email": email, "displayName": "Test Client", "role": "client", "language": "en", "kdf": kdf, "loginKey": key})
    post(base + "/api/v1/auth/verify-email", {"token": verification_token(email)})
    return post(base + "/api/v1/auth/login", {"email": email, "loginKey": key})["session"]["token"]
