"""Creates a verified client on a running Lotse server without SMTP (reads the outbox) and prints a bearer token."""
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "Tests"))
from lotse_client import outbox_token, sign_up_client  # noqa: E402


base, outbox = sys.argv[1], Path(sys.argv[2])
print(sign_up_client(base, "bench@example.org", lambda address: outbox_token(outbox, address)))
