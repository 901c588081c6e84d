"""Deleting one's account (docs/privacy.md, "Erasure"): said plainly before, 30 days to change one's mind from the
mailed link or the settings, then gone; what the others received stays, from "Deleted account"."""
import re
import sqlite3
import time
import uuid
from pathlib import Path

from playwright.sync_api import expect

from conftest import launch_server
from helpers import coach_with_two_factor, shoot, sign_in, sign_up, start_engagement_with


def subjects(inbox, address):
    with inbox.lock:
        return [m["Subject"] for rcpt, m in inbox.messages if address in rcpt]


def wait_for_subject(inbox, address, subject, timeout=30):
    """The newest mail to `address` whose subject is `subject` (or starts with it, for a subject ending in "…")."""
    deadline = time.time() + timeout
    matches = (lambda s: s.startswith(subject[:-1])) if subject.endswith("…") else (lambda s: s == subject)
    while time.time() < deadline:
        with inbox.lock:
            found = [m for rcpt, m in inbox.messages if address in rcpt and matches(m["Subject"])]
        if found:
            return found[-1]
        time.sleep(0.1)
    raise AssertionError(f"no mail “{subject}” to {address}: {subjects(inbox, address)}")


def test_a_client_deletes_her_account_and_the_coach_keeps_what_she_wrote(new_page, inbox, server, unique_email):
    words = f"Danke für alles {uuid.uuid4()}"
    client_email, coach_email = unique_email("sam"), unique_email("carla")
    client = new_page()
    sign_up(client, inbox, client_email, name="Sam Client")
    assert sign_in(client, client_email)
    coach = new_page()
    coach_with_two_factor(coach, inbox, coach_email)
    workspace = start_engagement_with(coach, client_email, "Sam Client")
    client.goto("/conversations")
    client.get_by_role("link", name=re.compile("Carla Coach")).click()
    client.get_by_label("Write a message").fill(words)
    client.get_by_role("button", name="Send", exact=True).click()
    expect(client.locator(".message.own .text", has_text=words)).to_be_visible(timeout=10_000)

    # Settings lead to a page that says what goes, what the others keep and what the law keeps.
    client.goto("/settings")
    card = client.get_by_role("region", name="Delete your account")
    card.get_by_role("link", name="Delete my account …").click()
    expect(client.get_by_role("heading", name="Delete your account", level=1)).to_be_visible()
    for part in ("What is deleted", "What the others keep", "What the law requires us to keep"):
        expect(client.get_by_role("heading", name=part)).to_be_visible()
    expect(client.get_by_text("shown as from “Deleted account”")).to_be_visible()
    client.get_by_label("Your password, to confirm it is you").fill("not my password")
    client.get_by_role("button", name="Delete my account in 30 days").click()
    expect(client.get_by_text("The password is not correct.")).to_be_visible(timeout=15_000)
    shoot(client, "erasure-page")
    client.get_by_label("Your password, to confirm it is you").fill("correct horse battery staple")
    client.get_by_role("button", name="Delete my account in 30 days").click()
    done = client.get_by_text(re.compile(r"Your account will be deleted on .*\d{4}\. We have sent you a mail"))
    expect(done).to_be_visible(timeout=15_000)
    expect(client.locator(".erasure-outcome")).to_be_focused()
    requested = wait_for_subject(inbox, client_email, "Your Lotse account will be deleted on …")
    assert "2027" in requested["Subject"] or "2026" in requested["Subject"]
    shoot(client, "erasure-scheduled")

    # The start page says it first; the link leads to the settings, the card to keep it on top.
    client.goto("/home")
    waiting = client.locator(".erasure-scheduled")
    expect(waiting).to_contain_text("Your account will be deleted on")
    shoot(client, "home-erasure-scheduled")
    waiting.get_by_role("link", name="Keep my account").click()
    expect(client.locator(".card").nth(0)).to_contain_text("Until then everything works as before.")
    shoot(client, "settings-erasure-scheduled")

    # The mailed link keeps it, signed out, after a click (opening it alone changes nothing).
    link = re.search(r"https?://\S+/keep-account#token=\S+", requested.get_content()).group(0)
    german = new_page(locale="de-DE")
    german.goto(link)
    expect(german.get_by_role("heading", name="Konto behalten")).to_be_visible()
    expect(german.get_by_role("heading", name="Konto behalten")).to_be_focused()
    shoot(german, "keep-account-de")
    stranger = new_page()
    stranger.goto(link)
    expect(stranger.get_by_role("heading", name="Keep your account")).to_be_visible()
    shoot(stranger, "keep-account")
    stranger.get_by_role("button", name="Keep my account").click()
    expect(stranger.get_by_text("Your account will not be deleted. Everything stays as it was.")).to_be_visible(timeout=15_000)
    wait_for_subject(inbox, client_email, "Your Lotse account will not be deleted")
    client.goto("/settings")
    expect(client.get_by_role("region", name="Delete your account").get_by_role("link", name="Delete my account …")).to_be_visible(timeout=15_000)

    # She asks again, in German this time, and the 30 days pass.
    profile = client.get_by_role("form", name="Profile")
    profile.get_by_label("Language", exact=True).select_option("de")
    profile.get_by_role("button", name="Save").click()
    expect(client.get_by_role("heading", name="Einstellungen")).to_be_visible(timeout=15_000)
    client.get_by_role("region", name="Konto löschen").get_by_role("link", name="Mein Konto löschen …").click()
    expect(client.get_by_role("heading", name="Was die anderen behalten")).to_be_visible()
    shoot(client, "erasure-page-de")
    client.get_by_label("Ihr Passwort, zur Bestätigung, dass Sie es sind").fill("correct horse battery staple")
    client.get_by_role("button", name="Mein Konto in 30 Tagen löschen").click()
    expect(client.get_by_text(re.compile(r"Ihr Konto wird am .* gelöscht"))).to_be_visible(timeout=15_000)
    client.goto("/settings#erasure")
    expect(client.get_by_role("button", name="Mein Konto behalten")).to_be_visible(timeout=15_000)
    shoot(client, "settings-erasure-scheduled-de")
    database = sqlite3.connect(Path(server.data) / "lotse.sqlite", timeout=10)
    with database:
        database.execute("UPDATE erasure_requests SET deletes_at = requested_at WHERE cancelled_at IS NULL")
    database.close()
    # A second instance on the same database erases what is due when it starts, as any instance does hourly.
    other = launch_server(inbox, data=server.data)
    try:
        wait_for_subject(inbox, client_email, "Ihr Lotse-Konto wurde gelöscht")
    finally:
        other.stop()

    # Carla keeps what Sam wrote, from "Deleted account"; the engagement has ended.
    coach.goto("/conversations")
    expect(coach.get_by_role("link", name=re.compile("Deleted account"))).to_be_visible(timeout=15_000)
    shoot(coach, "erasure-others-list")
    coach.get_by_role("link", name=re.compile("Deleted account")).click()
    expect(coach.get_by_role("heading", name="Deleted account")).to_be_visible(timeout=15_000)
    message = coach.locator(".message", has_text=words)
    expect(message).to_contain_text("Deleted account", timeout=15_000)
    expect(message.locator(".problem, .warning")).to_have_count(0)
    expect(coach.get_by_text("This person deleted their account.")).to_be_visible()
    expect(coach.get_by_label("Write a message")).to_be_hidden()
    shoot(coach, "erasure-others-view")
    coach.goto(workspace)
    expect(coach.get_by_text("Client: Deleted account")).to_be_visible(timeout=15_000)
    shoot(coach, "erasure-engagement")
    coach.get_by_role("button", name="DE", exact=True).click()
    expect(coach.get_by_text("Klientin oder Klient: Gelöschtes Konto")).to_be_visible(timeout=15_000)
    shoot(coach, "erasure-engagement-de")
    coach.goto("/conversations")
    expect(coach.get_by_role("link", name=re.compile("Gelöschtes Konto"))).to_be_visible(timeout=15_000)
    shoot(coach, "erasure-others-list-de")
    coach.get_by_role("link", name=re.compile("Gelöschtes Konto")).click()
    expect(coach.get_by_text("Diese Person hat ihr Konto gelöscht.")).to_be_visible(timeout=15_000)
    shoot(coach, "erasure-others-view-de")

    # Sam's device is signed out, and the address no longer signs in.
    client.reload()
    expect(client).to_have_url(re.compile(r"/login"), timeout=15_000)
    client.get_by_label("E-Mail-Adresse").fill(client_email)
    client.get_by_label("Passwort", exact=True).fill("correct horse battery staple")
    client.get_by_role("button", name="Anmelden", exact=True).click()
    expect(client.locator(".form-error")).to_be_visible(timeout=15_000)
