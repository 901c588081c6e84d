"""End-to-end tests: the real server binary, a real SMTP receiver (aiosmtpd) and Debian's Chromium, all on loopback.

scripts/test runs them inside a network namespace that has only loopback.
"""
import email
import email.policy
import os
import re
import socket
import subprocess
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parents[1]
OUTPUT = ROOT / "test-output"


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Inbox:
    """Collects every message the server sends, decoded."""

    def __init__(self):
        self.messages = []
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        with self.lock:
            self.messages.append((list(envelope.rcpt_tos), message))
        return "250 OK"

    def wait_for(self, address, skipping=0, timeout=15):
        deadline = time.time() + timeout
        while time.time() < deadline:
            with self.lock:
                matching = [m for rcpt, m in self.messages if address in rcpt]
            if len(matching) > skipping:
                return matching[skipping]
            time.sleep(0.05)
        raise AssertionError(f"no mail to {address} within {timeout}s")

    @staticmethod
    def link(message):
        body = message.get_content()
        found = re.search(r"https?://\S+#token=\S+", body)
        assert found, body
        return found.group(0)


@pytest.fixture(scope="session")
def inbox():
    handler = Inbox()
    controller = Controller(handler, hostname="127.0.0.1", port=free_port())
    controller.start()
    handler.port = controller.port
    yield handler
    controller.stop()


class Server:
    def __init__(self, url, log, data, process, log_file):
        self.url, self.log, self.data, self.process, self.log_file = url, log, data, process, log_file

    def stop(self):
        self.process.terminate()
        self.process.wait(timeout=10)
        self.log_file.close()


def launch_server(inbox, data=None, port=None, cores=None, **extra):
    """Starts `lotse serve` on a free port, on a fresh SQLite file (or the one in `data`), with SMTP pointed at the
    inbox; on the CPU cores in `cores` only, if given."""
    port = port or free_port()
    data = data or tempfile.mkdtemp(prefix="lotse-browser-")
    binary = os.environ.get("LOTSE_BINARY", str(ROOT / ".build" / "debug" / "lotse"))
    env = dict(
        os.environ,
        LOTSE_PORT=str(port),
        LOTSE_DATA_DIR=data,
        LOTSE_RESOURCES_DIR=str(ROOT),
        LOTSE_PUBLIC_URL=f"http://127.0.0.1:{port}",
        LOTSE_SMTP_HOST="127.0.0.1",
        LOTSE_SMTP_PORT=str(inbox.port),
        LOTSE_SMTP_SECURITY="none",
        LOTSE_BCRYPT_COST="10",
        LOTSE_OPERATOR_NAME="Praxis Berger Coaching",
        LOTSE_OPERATOR_CONTACT="Hauptstraße 1, 50667 Köln · datenschutz@praxis-berger.example",
        **extra,
    )
    log_path = Path(data) / "server.log"
    log = open(log_path, "w")
    pin = (lambda: os.sched_setaffinity(0, cores)) if cores else None
    process = subprocess.Popen(
        [binary, "serve"], env=env, stdout=log, stderr=subprocess.STDOUT, cwd=ROOT, preexec_fn=pin)
    base = f"http://127.0.0.1:{port}"
    deadline = time.time() + 60
    while True:
        try:
            urllib.request.urlopen(base + "/api/v1/health", timeout=1)
            break
        except Exception:
            if process.poll() is not None or time.time() > deadline:
                raise RuntimeError("server did not start:\n" + log_path.read_text())
            time.sleep(0.2)
    return Server(base, log_path, data, process, log)


@pytest.fixture(scope="module")
def server(inbox):
    """The server one test file's tests share; each test uses its own addresses. One per file keeps the sign-ups
    from one address (loopback) under the platform's limit of mails per address and hour."""
    server = launch_server(inbox)
    yield server
    server.stop()


@pytest.fixture(scope="session")
def browser():
    with sync_playwright() as playwright:
        # Fake camera and microphone, granted without a prompt; WebRTC may use loopback (tests run where only
        # loopback exists).
        browser = playwright.chromium.launch(
            executable_path="/usr/bin/chromium",
            args=["--no-sandbox", "--use-fake-device-for-media-stream", "--use-fake-ui-for-media-stream",
                  "--allow-loopback-in-peer-connection"])
        yield browser
        browser.close()


@pytest.fixture
def new_page(browser, server, request):
    """Opens pages in fresh contexts; fails the test on any console error (a CSP violation shows up there)."""
    contexts, errors = [], []

    def open_page(locale="en-US", viewport=None, timezone_id=None, base_url=None):
        context = browser.new_context(
            locale=locale, base_url=base_url or server.url, viewport=viewport or {"width": 1200, "height": 900},
            timezone_id=timezone_id,
        )
        contexts.append(context)
        page = context.new_page()
        page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
        page.on("pageerror", lambda error: errors.append(str(error)))
        return page

    yield open_page
    OUTPUT.mkdir(exist_ok=True)
    for index, context in enumerate(contexts):
        for page in context.pages:
            page.screenshot(path=str(OUTPUT / f"{request.node.name}-{index}.png"), full_page=True)
        context.close()
    # API answers 4xx on purpose (no session yet, wrong password) and Chromium logs each; anything else is a defect.
    unexpected = [e for e in errors if not re.search(r"status of 4\d\d", e)]
    assert unexpected == [], unexpected


@pytest.fixture
def unique_email():
    counter = iter(range(1000))
    stamp = int(time.time() * 1000)
    return lambda name: f"{name}.{stamp}.{next(counter)}@example.org"
