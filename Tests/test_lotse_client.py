"""The Python derivation matches the shared reference vectors, like the Swift and JavaScript ones."""
import base64
import json
from pathlib import Path

from lotse_client import login_key


def test_login_key_matches_the_reference_vectors():
    vectors = json.loads((Path(__file__).parent / "Fixtures" / "password-keys.json").read_text())
    for vector in vectors:
        assert login_key(vector["password"], base64.b64decode(vector["salt"]), vector["iterations"]) == vector["loginKey"]
