"""Publishes N coach profiles on a running Lotse server (bench/directory.sh), in German and English, through the
API as coaches would: register, verify (from the outbox), sign in, turn on TOTP, save the profile."""
import base64
import email
import email.policy
import os
import random
import re
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pyotp

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "Tests"))
from lotse_client import call, login_key  # noqa: E402

base, outbox, count = sys.argv[1], Path(sys.argv[2]), int(sys.argv[3])
random.seed(4)
SALT = os.urandom(16)
KEY = login_key("a long bench password", SALT)  # one derivation for all: PBKDF2 is the browser's cost, not the server's
KDF = {"algorithm": "pbkdf2-sha256", "iterations": 600_000, "salt": base64.b64encode(SALT).decode()}
TOPICS = ["Führung", "Karriere", "Onboarding", "Leadership", "Career change", "Stressbewältigung", "Kommunikation",
          "Konfliktlösung", "Work-Life-Balance", "Mentoring für Studierende", "Gründung", "Public speaking",
          "Teamentwicklung", "Burnout prevention", "Elternzeit und Wiedereinstieg", "Software engineering"]
WORDS = ["Ich begleite Menschen", "in beruflichen Übergängen", "mit systemischem Coaching", "und klaren Zielen",
         "I work with leaders", "through their first 100 days", "on communication and feedback", "online or in person",
         "Beratung für Teams", "in München und Hamburg", "with a focus on resilience", "für Führungskräfte"]


def token_for(address):
    needle = address.encode()
    for _ in range(600):
        for mail in sorted(outbox.glob("*.eml"), reverse=True):
            data = mail.read_bytes()
            if needle in data:
                body = email.message_from_bytes(data, policy=email.policy.default).get_content()
                return re.search(r"#token=(\S+)", body).group(1)
        __import__("time").sleep(0.05)
    raise SystemExit(f"no mail to {address}")


def coach(index):
    address = f"10.9.{index // 250}.{index % 250 + 1}"  # registration is rate-limited per address
    mail = f"coach{index}@bench.example.org"
    call(base, "POST", "/api/v1/auth/register", body={
        "email": mail, "displayName": f"Coach {index} {random.choice(['Berg', 'Sommer', 'Smith', 'Okafor'])}",
        "role": "coach", "coachTitle": "coach", "language": "de", "kdf": KDF, "loginKey": KEY}, address=address)
    call(base, "POST", "/api/v1/auth/verify-email", body={"token": token_for(mail)}, address=address)
    _, result = call(base, "POST", "/api/v1/auth/login", body={"email": mail, "loginKey": KEY}, address=address)
    token = result["session"]["token"]
    _, setup = call(base, "POST", "/api/v1/account/two-factor/setup", token, address=address)
    call(base, "POST", "/api/v1/account/two-factor/confirm", token, {"code": pyotp.TOTP(setup["secret"]).now()}, address)
    rng = random.Random(index)
    formats = rng.choice([["online"], ["online", "in_person"], ["in_person"]])
    call(base, "PUT", "/api/v1/directory/profile", token, {
        "slug": f"coach-{index}", "headline": " ".join(rng.sample(WORDS, 2)), "bio": ". ".join(rng.sample(WORDS, 5)),
        "topics": rng.sample(TOPICS, 3), "languages": rng.choice([["de"], ["en"], ["de", "en"]]), "formats": formats,
        "location": "Köln" if "in_person" in formats else None,
        "rate": {"amount": rng.randrange(60, 250) * 100, "currency": "EUR", "per": "session"},
        "timeZone": "Europe/Berlin", "isPublished": True}, address)


with ThreadPoolExecutor(8) as pool:
    list(pool.map(coach, range(count)))
print(f"{count} profiles published", file=sys.stderr)
