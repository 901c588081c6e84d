"""What a person does with their account, in a real browser."""
import io
import json
import re
import time

import pyotp
import zxingcpp
from PIL import Image
from playwright.sync_api import expect

from helpers import (
    PASSWORD, assert_fits_a_phone, create_first_admin, open_reset_link, reset_password, shoot, sign_in, sign_up)
from test_accessibility import violations


def test_client_signs_up_verifies_and_signs_in(new_page, inbox, unique_email):
    page = new_page()
    email = unique_email("client")
    sign_up(page, inbox, email)
    sign_in(page, email)
    expect(page.get_by_role("heading", name="Welcome, Ada Lovelace")).to_be_visible(timeout=15_000)
    cookie = next(c for c in page.context.cookies() if c["name"] == "lotse_session")
    assert cookie["httpOnly"] and cookie["sameSite"] == "Strict"
    # The password never travels: only the derived key does, and scripts cannot read the session.
    assert page.evaluate("document.cookie") == ""
    page.reload()
    expect(page.get_by_role("heading", name="Welcome, Ada Lovelace")).to_be_visible()
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()
    page.goto("/settings")
    expect(page).to_have_url(re.compile(r"/login$"))


def test_password_is_never_sent(new_page, inbox, unique_email):
    page = new_page()
    email = unique_email("secret")
    password = "a very particular passphrase 42"
    bodies = []
    page.on("request", lambda request: bodies.append(request.post_data or ""))
    sign_up(page, inbox, email, password=password)
    sign_in(page, email, password=password)
    expect(page.get_by_role("heading", name=re.compile("Welcome"))).to_be_visible(timeout=15_000)
    assert any("loginKey" in body for body in bodies)
    assert not any(password in body for body in bodies)


def test_coach_must_set_up_two_factor_and_then_needs_it(new_page, inbox, unique_email):
    page = new_page()
    email = unique_email("coach")
    sign_up(page, inbox, email, name="Carla Coach", coach_title="mentor")
    sign_in(page, email)
    expect(page.get_by_text("Your role requires two-factor sign-in")).to_be_visible(timeout=15_000)
    expect(page).to_have_url(re.compile(r"/settings$"))
    page.goto("/home")
    expect(page).to_have_url(re.compile(r"/settings$"))

    page.get_by_role("button", name="Set up two-factor sign-in").click()
    secret = page.locator("[data-secret]").get_attribute("data-secret")
    # The app can scan it: the QR code as the screen shows it holds the otpauth link with this very key.
    qr = page.get_by_role("img", name="QR code with the key for your authenticator app")
    expect(qr).to_be_visible()
    [scanned] = zxingcpp.read_barcodes(Image.open(io.BytesIO(qr.screenshot())))
    assert scanned.text.startswith("otpauth://totp/Lotse:") and f"secret={secret}" in scanned.text
    shoot(page, "two-factor-setup")
    totp = pyotp.TOTP(secret)
    page.get_by_label("Six-digit code").fill(totp.now())
    page.get_by_role("button", name="Turn on").click()
    codes = page.get_by_role("list", name="Recovery codes").get_by_role("listitem")
    expect(codes).to_have_count(10)
    recovery = codes.nth(0).inner_text().strip()
    # They can be kept without copying by hand: the download holds every code.
    with page.expect_download() as download:
        page.get_by_role("button", name="Download").click()
    kept = open(download.value.path(), encoding="utf-8").read()
    assert download.value.suggested_filename == "lotse-recovery-codes.txt"
    assert all(code.strip() in kept for code in codes.all_inner_texts())
    expect(page.get_by_text("Downloaded.")).to_be_visible()
    shoot(page, "recovery-codes")
    page.get_by_role("button", name="I have saved them").click()
    expect(page.get_by_text("Two-factor sign-in is on. Recovery codes left: 10.")).to_be_visible()
    page.goto("/home")
    expect(page.get_by_role("heading", name="Welcome, Carla Coach")).to_be_visible()
    expect(page.get_by_text("You are signed in as Mentor.")).to_be_visible()

    # Next time: a wrong code is refused, a recovery code works once.
    page.get_by_role("button", name="Sign out").click()
    sign_in(page, email)
    page.get_by_label("Six-digit code").fill("000000")
    page.get_by_role("button", name="Verify").click()
    expect(page.get_by_text("The code is not correct")).to_be_visible()
    expect(page.get_by_label("Six-digit code")).to_have_attribute("aria-invalid", "true")
    page.get_by_role("button", name="Use a recovery code instead").click()
    page.get_by_label("Recovery code").fill(recovery)
    page.get_by_role("button", name="Verify").click()
    expect(page.get_by_role("heading", name="Welcome, Carla Coach")).to_be_visible(timeout=15_000)

    # And with the app: the code of the next 30-second step (the current one was used to turn it on).
    page.get_by_role("button", name="Sign out").click()
    sign_in(page, email)
    page.get_by_label("Six-digit code").fill(totp.at(time.time() + 30))
    page.get_by_role("button", name="Verify").click()
    expect(page.get_by_role("heading", name="Welcome, Carla Coach")).to_be_visible(timeout=15_000)

    # All of it is in her security events, newest first, from the audit log.
    page.goto("/settings")
    events = page.get_by_role("region", name="Security events").get_by_role("listitem")
    expect(events.nth(0)).to_contain_text("Signed in", timeout=15_000)
    expect(events.nth(1)).to_contain_text("Signed in")
    expect(events.nth(2)).to_contain_text("Failed sign-in: wrong code from the authenticator app")
    expect(events.nth(3)).to_contain_text("Two-factor sign-in turned on")
    expect(events.nth(4)).to_contain_text("Signed in")
    expect(events).to_have_count(5)
    page.get_by_role("heading", name="Security events").scroll_into_view_if_needed()
    shoot(page, "security-events")


def test_the_privacy_notice_names_the_operator_and_the_periods(new_page):
    """The notice before anyone signs up, German and English: who runs this instance (from its configuration), what
    the server cannot read, how long things are kept (the server's own periods), the reader's rights."""
    page = new_page(locale="de-DE")
    page.goto("/")
    page.get_by_role("link", name="Datenschutz").click()
    expect(page.get_by_role("heading", name="Datenschutzerklärung", level=1)).to_be_visible()
    who = page.get_by_role("region", name="Verantwortlich")
    expect(who).to_contain_text("Praxis Berger Coaching")
    expect(who).to_contain_text("Hauptstraße 1, 50667 Köln · datenschutz@praxis-berger.example")
    expect(page.get_by_role("region", name="Was der Server nicht lesen kann")).to_contain_text("Ihr privater Schlüssel")
    expect(page.get_by_role("region", name="Wie lange etwas aufbewahrt wird")).to_contain_text(
        "Ein Gerät, das 14 Tage nicht benutzt wurde, wird abgemeldet, jedes Gerät spätestens nach 90 Tagen")
    expect(page.get_by_role("region", name="Ihre Rechte")).to_contain_text("Art. 77")
    assert violations(page, "privacy notice (German)") == []
    shoot(page, "privacy-notice-de")
    page.get_by_role("button", name="EN").click()
    expect(page.get_by_role("heading", name="Privacy notice", level=1)).to_be_visible()
    expect(page.get_by_role("region", name="How long things are kept")).to_contain_text(
        "A sign-up that is never confirmed: deleted after 7 days.")
    shoot(page, "privacy-notice-en")


def test_german_interface_and_language_switch(new_page, inbox, unique_email):
    page = new_page(locale="de-DE")
    page.goto("/login")
    expect(page.get_by_role("heading", name="Anmelden")).to_be_visible()
    assert page.evaluate("document.documentElement.lang") == "de"
    page.get_by_label("E-Mail-Adresse").fill(unique_email("niemand"))
    page.get_by_label("Passwort").fill("falsches passwort 123")
    page.get_by_role("button", name="Anmelden", exact=True).click()
    expect(page.get_by_role("alert")).to_have_text("E-Mail-Adresse oder Passwort sind nicht korrekt.", timeout=15_000)
    page.get_by_role("button", name="EN", exact=True).click()
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()
    assert page.evaluate("document.documentElement.lang") == "en"
    page.reload()
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()


def test_form_errors_are_clear(new_page, inbox, unique_email):
    page = new_page()
    page.goto("/signup")
    page.get_by_label("Your name").fill("Bob")
    page.get_by_label("Email address").fill(unique_email("bob"))
    page.get_by_label("Password", exact=True).fill("short")
    page.get_by_label("Repeat the password").fill("short")
    # The rule is said before submitting, and in the same words when it is not met.
    expect(page.get_by_text("At least 10 characters. A sentence you can remember works well.")).to_be_visible()
    page.get_by_role("button", name="Create account").click()
    expect(page.get_by_text("Please choose a password of at least 10 characters.")).to_be_visible()
    expect(page.get_by_label("Password", exact=True)).to_be_focused()
    page.get_by_label("Password", exact=True).fill("long enough password")
    page.get_by_label("Repeat the password").fill("long enough passwort")
    page.get_by_role("button", name="Create account").click()
    expect(page.get_by_role("alert")).to_have_text("The two passwords are not the same.")


def test_signing_out_another_device(new_page, inbox, unique_email):
    email = unique_email("twodevices")
    laptop = new_page()
    sign_up(laptop, inbox, email)
    sign_in(laptop, email)
    expect(laptop.get_by_role("heading", name=re.compile("Welcome"))).to_be_visible(timeout=15_000)
    phone = new_page()
    sign_in(phone, email)
    expect(phone.get_by_role("heading", name=re.compile("Welcome"))).to_be_visible(timeout=15_000)

    laptop.goto("/settings")
    sessions = laptop.locator("li.session")
    expect(sessions).to_have_count(2)
    expect(laptop.locator("li.session[data-current=true]")).to_contain_text("This device")
    laptop.locator("li.session[data-current=false]").get_by_role("button", name="Sign out").click()
    expect(sessions).to_have_count(1)
    phone.reload()
    expect(phone).to_have_url(re.compile(r"/login$"))


def test_password_reset_by_mail(new_page, inbox, unique_email):
    page = new_page()
    email = unique_email("reset")
    sign_up(page, inbox, email)
    reset_password(page, inbox, email, "my new long password")
    sign_in(page, email, password="my new long password")
    expect(page.get_by_role("heading", name=re.compile("Welcome"))).to_be_visible(timeout=15_000)


def test_first_admin_from_the_setup_link(new_page, server, unique_email):
    page = new_page()
    email = unique_email("admin")
    create_first_admin(page, server, email)
    sign_in(page, email, password="administrator password")
    expect(page.get_by_text("Your role requires two-factor sign-in")).to_be_visible(timeout=15_000)
    page.goto("/setup")
    expect(page.get_by_text("already has an administrator")).to_be_visible()


def test_pages_are_accessible_and_fit_a_phone(new_page):
    page = new_page(viewport={"width": 360, "height": 740})
    for path in ["/", "/login", "/signup", "/forgot-password", "/reset-password"]:
        page.goto(path)
        expect(page.locator("h1")).to_be_visible()
        assert_fits_a_phone(page, path)
        assert page.evaluate("document.activeElement.tagName") == "H1", f"{path}: focus should move to the heading"


def test_settings_change_language_name_and_password(new_page, inbox, unique_email):
    page = new_page()
    email = unique_email("settings")
    sign_up(page, inbox, email)
    sign_in(page, email)
    expect(page.get_by_role("heading", name=re.compile("Welcome"))).to_be_visible(timeout=15_000)
    page.goto("/settings")
    profile = page.get_by_role("form", name="Profile")
    profile.get_by_label("Your name").fill("Ada King")
    profile.get_by_label("Language").select_option("de")
    profile.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Gespeichert.")).to_be_visible()
    expect(page.get_by_role("heading", name="Einstellungen")).to_be_visible()

    password = page.get_by_role("form", name="Passwort")
    password.get_by_label("Aktuelles Passwort").fill("wrong current password")
    password.get_by_role("textbox", name="Neues Passwort").fill("the next long password")
    password.get_by_label("Passwort wiederholen").fill("the next long password")
    password.get_by_role("button", name="Passwort ändern").click()
    # The browser notices first: the current password does not open the end-to-end keys.
    expect(page.get_by_role("alert")).to_have_text("Das Passwort stimmt nicht.", timeout=15_000)
    password.get_by_label("Aktuelles Passwort").fill("correct horse battery staple")
    password.get_by_role("button", name="Passwort ändern").click()
    expect(page.get_by_text("Ihr Passwort wurde geändert.")).to_be_visible(timeout=15_000)
    changed = inbox.wait_for(email, skipping=1)
    assert changed["Subject"] == "Ihr Lotse-Passwort wurde geändert"

    page.get_by_role("button", name="Abmelden").click()
    page.get_by_label("E-Mail-Adresse").fill(email)
    page.get_by_label("Passwort").fill("the next long password")
    page.get_by_role("button", name="Anmelden", exact=True).click()
    expect(page.get_by_role("heading", name="Willkommen, Ada King")).to_be_visible(timeout=15_000)

    # What the server knows about her, as a file: her account, the password change among her security events.
    page.goto("/settings")
    data = page.get_by_role("region", name="Ihre Daten")
    expect(data).to_contain_text("ohne das, was jemand geschrieben hat")
    expect(data.get_by_role("link", name="Meine Daten exportieren")).to_have_attribute("href", "/export")
    with page.expect_download() as download:
        data.get_by_role("link", name="Herunterladen, was der Server weiß (JSON)").click()
    assert download.value.suggested_filename == "lotse-what-the-server-knows.json"
    known = json.load(open(download.value.path(), encoding="utf-8"))
    assert known["format"] == "lotse-server-knowledge-1"
    assert known["account"]["email"] == email and known["account"]["displayName"] == "Ada King"
    assert [event["kind"] for event in known["securityEvents"]][:2] == ["sign_in", "password_changed"]
    data.scroll_into_view_if_needed()
    shoot(page, "settings-data-de")


def test_the_menu_folds_behind_a_button_on_a_phone(new_page, inbox, unique_email):
    page = new_page(viewport={"width": 390, "height": 844})
    email = unique_email("phone")
    sign_up(page, inbox, email)
    sign_in(page, email)
    heading = page.get_by_role("heading", name="Welcome, Ada Lovelace")
    expect(heading).to_be_visible(timeout=15_000)
    menu = page.get_by_role("button", name="Menu")
    nav = page.get_by_role("navigation", name="Main")
    # The page starts right under a one-line bar, not below the whole menu.
    assert page.locator(".topbar").bounding_box()["height"] < 80
    expect(menu).to_have_attribute("aria-expanded", "false")
    expect(nav.get_by_role("link", name="Settings")).to_be_hidden()
    shoot(page, "phone-menu-closed")
    menu.click()
    expect(menu).to_have_attribute("aria-expanded", "true")
    expect(nav.get_by_role("link", name="Settings")).to_be_visible()
    page.screenshot(path=str(__import__("conftest").OUTPUT / "phone-menu-open-390.png"))
    nav.get_by_role("link", name="Settings").click()
    expect(page.get_by_role("heading", name="Settings")).to_be_visible()
    expect(menu).to_have_attribute("aria-expanded", "false")  # going somewhere closes it
    menu.click()
    page.keyboard.press("Escape")
    expect(menu).to_have_attribute("aria-expanded", "false")
    expect(menu).to_be_focused()
    # German too; on a wide screen the menu is always there and the button is not.
    page.get_by_role("button", name="DE", exact=True).click()
    expect(page.get_by_role("button", name="Menü")).to_be_visible()
    page.set_viewport_size({"width": 1280, "height": 800})
    expect(page.get_by_role("button", name="Menü")).to_be_hidden()
    expect(nav.get_by_role("link", name="Einstellungen")).to_be_visible()


def test_a_new_recovery_key_from_settings(new_page, inbox, unique_email):
    """A lost recovery key is replaced from the settings with the password; the old one stops working, the new one
    opens the keys at a password reset."""
    email = unique_email("rita")
    page = new_page()
    sign_up(page, inbox, email, name="Rita Recovery")
    old_key = sign_in(page, email)
    assert old_key

    page.goto("/settings")
    card = page.get_by_role("region", name="Recovery key")
    expect(card.get_by_text("Recovery codes stand in for your phone")).to_be_visible()
    card.get_by_label("Current password").fill("not my password")
    card.get_by_role("button", name="Make a new recovery key").click()
    expect(card.get_by_text("The password is not correct.")).to_be_visible(timeout=30_000)
    card.get_by_label("Current password").fill(PASSWORD)
    card.get_by_role("button", name="Make a new recovery key").click()
    expect(page).to_have_url(re.compile("/recovery-key$"), timeout=30_000)
    new_key = page.get_by_test_id("recovery-key").inner_text().strip()
    assert re.fullmatch(r"([A-Z2-7]{4}-){12}[A-Z2-7]{4}", new_key) and new_key != old_key
    shoot(page, "recovery-key-new")
    page.get_by_label("I have written down my recovery key.").check()
    page.get_by_role("button", name="Continue").click()
    expect(page).to_have_url(re.compile("/settings$"))

    # At a reset, the old key no longer fits; the new one does.
    open_reset_link(page, inbox, email)
    page.get_by_role("textbox", name="New password").fill("a brand new password")
    page.get_by_label("Repeat the password").fill("a brand new password")
    page.get_by_label("Recovery key (optional)").fill(old_key)
    page.get_by_role("button", name="Save new password").click()
    expect(page.get_by_text("This recovery key does not fit.")).to_be_visible(timeout=30_000)
    page.get_by_label("Recovery key (optional)").fill(new_key)
    page.get_by_role("button", name="Save new password").click()
    expect(page.get_by_text("Your password was changed")).to_be_visible(timeout=30_000)
