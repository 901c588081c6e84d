"""Steps the browser tests share: signing up, signing in (with the first sign-in's recovery key), turning on TOTP."""
import json
import re
import time

import pyotp
from playwright.sync_api import expect

PASSWORD = "correct horse battery staple"


def sign_up(page, inbox, email, name="Ada Lovelace", password="correct horse battery staple", coach_title=None):
    page.goto("/signup")
    page.get_by_label("Your name").fill(name)
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password", exact=True).fill(password)
    page.get_by_label("Repeat the password").fill(password)
    if coach_title:
        page.get_by_label("a coach, mentor, trainer or counselor").check()
        page.get_by_label("What do you call your work?").select_option(coach_title)
    page.get_by_role("button", name="Create account").click()
    expect(page.get_by_role("heading", name="Check your inbox")).to_be_visible(timeout=15_000)
    page.goto(inbox.link(inbox.wait_for(email)))
    expect(page.get_by_text("your address is confirmed")).to_be_visible()


def sign_in(page, email, password=PASSWORD, language="en"):
    """Signs in; on an account's first sign-in, notes the recovery key shown once and returns it."""
    labels = {
        "en": ("/login", "Email address", "Password", "Sign in", "I have written down my recovery key.", "Continue"),
        "de": ("/login", "E-Mail-Adresse", "Passwort", "Anmelden", "Ich habe meinen Wiederherstellungsschlüssel notiert.", "Weiter"),
    }[language]
    page.goto(labels[0])
    page.get_by_label(labels[1]).fill(email)
    page.get_by_label(labels[2], exact=True).fill(password)
    page.get_by_role("button", name=labels[3], exact=True).click()
    deadline = time.time() + 30
    while time.time() < deadline:
        if page.url.endswith("/recovery-key"):
            key = page.get_by_test_id("recovery-key").inner_text().strip()
            assert re.fullmatch(r"([A-Z2-7]{4}-){12}[A-Z2-7]{4}", key), key
            page.get_by_label(labels[4]).check()
            page.get_by_role("button", name=labels[5]).click()
            page.wait_for_url(lambda url: not url.endswith("/recovery-key"))
            return key
        if not page.url.endswith("/login") or page.locator("input[autocomplete=one-time-code]").count() \
                or page.locator(".form-error:not([hidden])").count():
            return None
        page.wait_for_timeout(100)
    raise AssertionError("sign-in did not finish")


def open_reset_link(page, inbox, email):
    """Asks for a password reset and opens the mailed link. The link is taken from the first reset mail after the
    request: other mails (a "something new" notice) may arrive in between."""
    with inbox.lock:
        before = len([m for rcpt, m in inbox.messages if email in rcpt])
    page.goto("/forgot-password")
    page.get_by_label("Email address").fill(email)
    page.get_by_role("button", name="Send link").click()
    expect(page.get_by_text("a link is on its way")).to_be_visible()
    skipping = before
    while "/reset-password#token=" not in (mail := inbox.wait_for(email, skipping=skipping)).get_content():
        skipping += 1
    page.goto(inbox.link(mail))


def reset_password(page, inbox, email, new_password):
    """The forgotten-password flow by mail, leaving the recovery key empty."""
    open_reset_link(page, inbox, email)
    page.get_by_role("textbox", name="New password").fill(new_password)
    page.get_by_label("Repeat the password").fill(new_password)
    page.get_by_role("button", name="Save new password").click()
    expect(page.get_by_text("Your password was changed")).to_be_visible(timeout=15_000)


def create_first_admin(page, server, email, password="administrator password"):
    """Creates the platform's first administrator through the setup link the server printed on first start."""
    link = re.search(r"open (http\S+/setup#token=\S+)", server.log.read_text())
    assert link, "the server should print a setup link on first start"
    page.goto(link.group(1))
    expect(page.get_by_role("heading", name="Set up Lotse")).to_be_visible()
    page.get_by_label("Your name").fill("Platform Admin")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password", exact=True).fill(password)
    page.get_by_label("Repeat the password").fill(password)
    page.get_by_role("button", name="Create administrator").click()
    expect(page.get_by_text("The administrator was created")).to_be_visible(timeout=15_000)


def enable_two_factor(page):
    """Turns TOTP on from the settings page; returns the authenticator and the first recovery code."""
    page.goto("/settings")
    page.get_by_role("button", name="Set up two-factor sign-in").click()
    totp = pyotp.TOTP(page.locator("[data-secret]").get_attribute("data-secret"))
    page.get_by_label("Six-digit code").fill(totp.now())
    page.get_by_role("button", name="Turn on").click()
    codes = page.get_by_role("list", name="Recovery codes").get_by_role("listitem")
    expect(codes).to_have_count(10)
    recovery = codes.nth(0).inner_text().strip()
    page.get_by_role("button", name="I have saved them").click()
    return totp, recovery




def assert_fits_a_phone(page, path):
    """On the page at `path` (shown on a phone-sized viewport): every control has a label, nothing scrolls sideways."""
    unlabeled = page.evaluate(
        "[...document.querySelectorAll('input:not([type=hidden]), select, textarea')]"
        ".filter(e => (!e.labels || e.labels.length === 0) && !e.getAttribute('aria-label')"
        " && !e.getAttribute('aria-labelledby')).map(e => e.name || e.id)"
    )
    assert unlabeled == [], f"{path}: controls without a label: {unlabeled}"
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"{path} scrolls sideways by {overflow}px on a phone: {too_wide(page)}"


def too_wide(page):
    """The innermost elements that reach past the window's right edge, to say what makes a page scroll sideways."""
    return page.evaluate("""[...document.querySelectorAll('body *')]
        .filter(e => e.getBoundingClientRect().right > window.innerWidth + 0.5
            && ![...e.children].some(c => c.getBoundingClientRect().right > window.innerWidth + 0.5))
        .slice(0, 5).map(e => `${e.tagName.toLowerCase()}.${e.className} “${(e.textContent || '').trim().slice(0, 40)}”`)""")


def shoot(page, name):
    """Screenshots of the page as it is now, at 1280×800 and at a 390×844 phone (test-output/<name>-<width>.png), each
    checked for sideways scrolling; the page is left at the size it had."""
    from conftest import OUTPUT

    OUTPUT.mkdir(exist_ok=True)
    before = page.viewport_size
    for width, height in ((1280, 800), (390, 844)):
        page.set_viewport_size({"width": width, "height": height})
        page.wait_for_timeout(150)  # let the new size's layout and paint settle
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"{name} scrolls sideways by {overflow}px at {width}px"
        page.screenshot(path=str(OUTPUT / f"{name}-{width}.png"), full_page=True)
    page.set_viewport_size(before)


def start_engagement_with(coach, client_email, client_name):
    """The coach starts a one-to-one engagement from the dashboard; answers the workspace's address."""
    coach.goto("/engagements")
    coach.get_by_label("Their email addresses").fill(client_email)
    coach.get_by_role("button", name="Start the engagement").click()
    expect(coach.get_by_role("heading", name=f"Engagement with {client_name}")).to_be_visible(timeout=15_000)
    return coach.url


def add_session_type(coach, name):
    """On the availability page: a 60-minute online session type."""
    coach.locator("summary", has_text="Add a session type").click()
    types = coach.get_by_role("form", name="Add a session type")
    types.get_by_label("Name, e.g. Coaching session").fill(name)
    return types


def enter_call(page):
    """On the call page's pre-join screen: joins with camera and microphone as they are (the coach into the call,
    a client into its waiting room)."""
    page.get_by_role("button", name=re.compile("^(Join the session|Enter the waiting room)$")).click(timeout=15_000)


class Wire:
    """Everything one page sends and receives over HTTP and its WebSocket, for the canary check."""

    def __init__(self, page):
        self.chunks = []
        self.frames = []
        page.on("request", lambda request: self.chunks.append(request.post_data_buffer or b""))
        page.on("response", self._response)
        page.on("websocket", self._socket)

    def _response(self, response):
        if "/api/" in response.url:
            try:
                self.chunks.append(response.body())
            except Exception:  # bodies of redirects and aborted requests are gone
                pass

    def _socket(self, socket):
        def record(payload):
            data = payload.encode() if isinstance(payload, str) else payload
            self.chunks.append(data)
            self.frames.append(json.loads(data))

        socket.on("framesent", record)
        socket.on("framereceived", record)

    def contains(self, text):
        needle = text.encode()
        return any(needle in chunk for chunk in self.chunks)


def coach_with_two_factor(page, inbox, email):
    sign_up(page, inbox, email, name="Carla Coach", coach_title="coach")
    recovery_key = sign_in(page, email)
    assert recovery_key
    enable_two_factor(page)
    return recovery_key
