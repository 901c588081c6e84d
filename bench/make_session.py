"""Creates a verified client on a running Lotse server without SMTP (reads the outbox) and prints a bearer token."""
import email
import email.policy
import re
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "Tests"))
from lotse_client import sign_up_client  # noqa: E402


def token_from_outbox(outbox):
    for _ in range(100):
        mails = sorted(outbox.glob("*.eml")) if outbox.exists() else []
        if mails:
            message = email.message_from_bytes(mails[0].read_bytes(), policy=email.policy.default)
            return re.search(r"#token=(\S+)", message.get_content()).group(1)
        time.sleep(0.1)
    raise SystemExit("no verification mail appeared in " + str(outbox))


base, outbox = sys.argv[1], Path(sys.argv[2])
print(sign_up_client(base, "bench@example.org", lambda _: token_from_outbox(outbox)))
