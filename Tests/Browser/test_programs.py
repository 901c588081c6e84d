"""Mentoring programs in the browser (issue #19): a platform admin creates an institution, its admin accepts the
mailed invitation and sets up a program, opens registration and imports a list (a bad line is named, nothing is
imported); a student joins through the invitation link, in German, signing up on the way."""
import json
import re
import sqlite3
import time
import uuid
import zipfile
from datetime import datetime, timedelta
from pathlib import Path

from playwright.sync_api import expect

from helpers import Wire, create_first_admin, enable_two_factor, shoot, sign_in, sign_up
from test_accessibility import violations
from test_engagements import open_section


def mail_containing(inbox, address, needle, timeout=15):
    """The newest mail to `address` whose text contains `needle`."""
    deadline = time.time() + timeout
    while time.time() < deadline:
        with inbox.lock:
            found = [m for rcpt, m in inbox.messages if address in rcpt and needle in m.get_content()]
        if found:
            return found[-1]
        time.sleep(0.05)
    raise AssertionError(f"no mail to {address} with {needle!r}")


def register(new_page, inbox, link, name, email, role, languages, slots, topics, places=None):
    """Someone of the cohort opens the invitation link in an English browser, signs up on the way, joins in `role`
    (or the role staff gave them) and answers the suggested questions; returns their page."""
    page = new_page()
    page.goto(link)
    page.get_by_role("link", name="Create an account").click()
    page.get_by_label("Your name").fill(name)
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password", exact=True).fill("correct horse battery staple")
    page.get_by_label("Repeat the password").fill("correct horse battery staple")
    page.get_by_role("button", name="Create account").click()
    expect(page.get_by_role("heading", name="Check your inbox")).to_be_visible(timeout=15_000)
    page.goto(inbox.link(mail_containing(inbox, email, "/verify-email#token=")))
    expect(page.get_by_text("your address is confirmed")).to_be_visible()
    sign_in(page, email)
    if "/join/" not in page.url:
        page.get_by_role("link", name="Continue registering for the program").click()
    page.get_by_role("button", name=f"Register as {role}").click()
    page.get_by_role("link", name="Answer the registration questions").click()
    for language in languages:
        page.get_by_role("checkbox", name=language).check()
    for slot in slots:
        page.get_by_role("checkbox", name=slot).check()
    for topic in topics:
        page.get_by_role("checkbox", name=topic).check()
    if places:
        page.get_by_label("How many mentees can you take?").fill(str(places))
    page.get_by_label(re.compile("^I agree that the program team sees my answers")).check()
    page.get_by_role("button", name="Save my answers").click()
    expect(page.get_by_text("Your registration is complete.")).to_be_visible(timeout=15_000)
    return page


def platform_admin(page, server, email):
    """The first administrator, through the setup link the server printed, with two-factor sign-in on."""
    create_first_admin(page, server, email)
    sign_in(page, email, password="administrator password")
    enable_two_factor(page)


def test_staff_set_up_a_program_and_a_student_joins_in_german(new_page, server, inbox, unique_email):
    # Ines has an account; the platform admin makes her the first admin of her university.
    ines_email = unique_email("ines")
    ines = new_page()
    ines_wire = Wire(ines)  # all the staff's browser ever receives, searched for the pair's words at the end
    sign_up(ines, inbox, ines_email, name="Ines Berger")
    sign_in(ines, ines_email)

    root = new_page()
    platform_admin(root, server, unique_email("root"))
    root.goto("/programs")
    expect(root.get_by_role("heading", name="Institutions on the platform")).to_be_visible()
    root.get_by_text("New institution", exact=True).click()
    form = root.get_by_role("form", name="New institution")
    form.get_by_label("Name of the institution").fill("Hochschule Rheinland")
    form.get_by_label("Mail domains (optional)").fill("hs-rheinland")
    form.get_by_label("E-mail of its first admin").fill(ines_email)
    form.get_by_role("button", name="Create and invite its admin").click()
    expect(form.get_by_text('"hs-rheinland" is not a mail domain')).to_be_visible()
    form.get_by_label("Mail domains (optional)").fill("hs-rheinland.de")
    form.get_by_role("button", name="Create and invite its admin").click()
    expect(root.get_by_text(f"an invitation went to {ines_email}")).to_be_visible()
    expect(root.get_by_role("listitem").filter(has_text="Hochschule Rheinland")).to_be_visible()
    shoot(root, "programs-platform")
    # The platform's audit log: sign-ins, and reading it is an entry too.
    root.get_by_text("Audit log of the platform", exact=True).click()
    platform_log = root.locator(".security-events")
    expect(platform_log.get_by_role("listitem").first).to_contain_text("Audit log read by", timeout=15_000)
    expect(platform_log).to_contain_text("Signed in")

    # Ines follows the mailed link, is told she now needs a second factor, and sets it up.
    ines.goto(inbox.link(mail_containing(inbox, ines_email, "/staff-invitation#token=")))
    expect(ines.get_by_text(f"You are signed in as {ines_email}")).to_be_visible(timeout=15_000)
    shoot(ines, "staff-invitation")
    ines.get_by_role("button", name="Accept the invitation").click()
    expect(ines.get_by_text("You are now on the staff of Hochschule Rheinland.")).to_be_visible(timeout=15_000)
    ines.get_by_role("link", name="Set up the second factor").click()
    enable_two_factor(ines)

    # She creates a program and opens registration. Her institution's audit log shows her joining, and her reading it.
    ines.goto("/programs")
    ines.get_by_text("Audit log", exact=True).click()
    institution_log = ines.locator(".security-events")
    expect(institution_log.get_by_role("listitem").first).to_contain_text("Audit log read by", timeout=15_000)
    expect(institution_log).to_contain_text("Joined an institution’s staff")
    shoot(ines, "audit-institution")
    ines.get_by_text("New program", exact=True).click()
    form = ines.get_by_role("form", name="Create program")
    form.get_by_label("Name").fill("Mentoring im ersten Studienjahr")
    form.get_by_label("Description").fill("Students in their first year meet students of later years.")
    form.get_by_label("First day").fill("2027-03-01")
    form.get_by_label("Last day").fill("2027-02-01")
    form.get_by_role("button", name="Create program").click()
    expect(form.get_by_text("on or after the first day")).to_be_visible()
    form.get_by_label("Last day").fill("2027-08-31")
    form.get_by_role("button", name="Create program").click()
    expect(ines.get_by_role("heading", name="Mentoring im ersten Studienjahr")).to_be_visible(timeout=15_000)
    expect(ines.locator(".program-lifecycle [aria-current=step]")).to_have_text("Draft")
    # She starts from the suggested registration questions.
    ines.get_by_role("button", name="Use the suggested questions").click()
    expect(ines.get_by_role("group", name="Question 5")).to_be_visible()
    ines.get_by_role("button", name="Save questions").click()
    expect(ines.get_by_text("The questions are saved.")).to_be_visible()
    shoot(ines, "program-questions")
    found = violations(ines, "program page (draft, questions)")
    ines.get_by_role("button", name="Open registration").click()
    expect(ines.locator(".program-lifecycle [aria-current=step]")).to_have_text("Registration open")
    expect(ines.get_by_text("Registration is open: share the invitation link")).to_be_visible()

    # A list with a bad line imports nothing and says which line; the corrected one invites everyone on it.
    ines.get_by_text("Import a list of participants", exact=True).click()
    importer = ines.get_by_role("form", name="Import a list of participants")
    importer.get_by_label("Or paste the list").fill(
        "Name;E-Mail;Rolle\nBob Baker;bob@example.org;Mentor\nCem Yilmaz;cem@;Mentee\n")
    importer.get_by_role("button", name="Import and invite").click()
    expect(importer.locator(".field-error:not([hidden])")).to_contain_text('Nothing was imported. Please correct the list and upload it again. Line 3: "cem@" is not an e-mail address.')
    expect(ines.get_by_text("Nobody has registered yet.")).to_be_visible()
    importer.get_by_label("Or paste the list").fill(
        "Name;E-Mail;Rolle\nBob Baker;bob@example.org;Mentor\nCem Yilmaz;cem@example.org;Mentee\n")
    importer.get_by_role("button", name="Import and invite").click()
    expect(ines.get_by_text("Invited: 2 · already in the program: 0")).to_be_visible(timeout=15_000)
    rows = ines.get_by_role("table").get_by_role("row")
    expect(rows).to_have_count(3)
    expect(rows.nth(1)).to_contain_text("Bob Baker")
    expect(rows.nth(1)).to_contain_text("Invited")
    assert "/join/" in mail_containing(inbox, "bob@example.org", "/join/").get_content()
    link = ines.get_by_role("textbox", name="Link", exact=True).input_value()
    assert re.fullmatch(r"http://127\.0\.0\.1:\d+/join/[a-z2-9]{10}", link), link
    expect(ines.get_by_role("img", name=re.compile("QR code for the invitation link"))).to_be_visible()
    shoot(ines, "program-staff")
    # The institution decides how long its ended pairs are kept, whatever mentors chose for their own work.
    keeping = ines.get_by_role("region", name="Retention in this program")
    keeping.get_by_label("Keep ended engagements for").select_option("90")
    keeping.get_by_role("button", name="Save period").click()
    expect(keeping.get_by_text("Saved: ended engagements are kept for 90 days.")).to_be_visible(timeout=15_000)
    shoot(ines, "program-retention")
    # For the university's data protection officer: what Lotse processes for its programs, printable.
    program_page = ines.url
    ines.goto("/programs")
    ines.get_by_role("link", name="Data protection summary for your data protection officer").click()
    expect(ines.get_by_role("heading", name="Data protection summary: Hochschule Rheinland", level=1)).to_be_visible()
    expect(ines.get_by_role("region", name="The institution’s programs")).to_contain_text(
        "Mentoring im ersten Studienjahr · Registration open")
    expect(ines.get_by_role("region", name="Roles")).to_contain_text("Praxis Berger Coaching runs this Lotse instance")
    expect(ines.get_by_role("region", name="Technical and organisational measures (Art. 32 GDPR)")).to_contain_text(
        "Two-factor sign-in is required for admins and program staff.")
    found += violations(ines, "data protection summary")
    shoot(ines, "data-protection-summary")
    ines.goto(program_page)

    # Lena, a first-year student, opens the link in a German browser, signs up on the way and registers.
    lena_email = unique_email("lena")
    lena = new_page(locale="de-DE")
    lena_wire = Wire(lena)
    lena.goto(link.replace(server.url, ""))
    expect(lena.get_by_role("heading", name="Mentoring im ersten Studienjahr")).to_be_visible(timeout=15_000)
    expect(lena.get_by_text("Ein Mentoring-Programm von Hochschule Rheinland")).to_be_visible()
    shoot(lena, "program-join-signed-out-de")
    found += violations(lena, "join page (signed out, de)")
    lena.get_by_role("link", name="Konto anlegen").click()
    expect(lena.get_by_text("Legen Sie Ihr Konto für das Mentoring-Programm an.")).to_be_visible()
    lena.get_by_label("Ihr Name").fill("Lena Vogel")
    lena.get_by_label("E-Mail-Adresse").fill(lena_email)
    lena.get_by_label("Passwort", exact=True).fill("correct horse battery staple")
    lena.get_by_label("Passwort wiederholen").fill("correct horse battery staple")
    lena.get_by_role("button", name="Konto anlegen").click()
    expect(lena.get_by_role("heading", name="Bitte sehen Sie in Ihr Postfach")).to_be_visible(timeout=15_000)
    lena.goto(inbox.link(inbox.wait_for(lena_email)))
    expect(lena.get_by_text("Ihre Adresse ist bestätigt")).to_be_visible()
    sign_in(lena, lena_email, language="de")
    # Back at the program (or, had she verified in another tab, led there from the start page).
    if "/join/" not in lena.url:
        lena.get_by_role("link", name="Anmeldung zum Programm fortsetzen").click()
    expect(lena.get_by_text("Möchten Sie begleitet werden oder selbst begleiten?")).to_be_visible(timeout=15_000)
    lena.get_by_role("button", name="Als Mentee anmelden").click()
    expect(lena.get_by_text("Sie sind angemeldet als Mentee.")).to_be_visible()
    shoot(lena, "program-joined-de")

    # She answers the registration questions; a missing answer is named where it belongs.
    lena.get_by_role("link", name="Anmeldefragen beantworten").click()
    expect(lena.get_by_role("heading", name="Ihre Anmeldung für Mentoring im ersten Studienjahr")).to_be_visible()
    expect(lena.get_by_text("Das Programmteam sieht diese Antworten")).to_be_visible()
    lena.get_by_role("checkbox", name="Deutsch").check()
    lena.get_by_role("button", name="Meine Antworten speichern").click()
    expect(lena.get_by_text("Bitte beantworten Sie „When are you usually free?“.")).to_be_visible()
    lena.get_by_role("checkbox", name="Mo, Abend").check()
    lena.get_by_role("checkbox", name="Starting your studies").check()
    # Her hopes are free text: sealed in her browser for herself and the staff, never sent readable.
    hopes = f"Ich habe Angst vor Statistik CANARY-hopes-{uuid.uuid4()}"
    lena.get_by_label(re.compile("^What would you like to get out of the mentoring")).fill(hopes)
    # Lena is 15: a parent confirms before she can be matched (Art. 8 GDPR).
    lena.get_by_label("Ich bin unter 16").check()
    parent_email = unique_email("parent")
    lena.get_by_label("E-Mail eines Elternteils oder einer sorgeberechtigten Person").fill(parent_email)
    # Her answers go to the program team only with her consent: without it, the form says so at the box.
    lena.get_by_role("button", name="Meine Antworten speichern").click()
    expect(lena.get_by_text("Bitte stimmen Sie zu, dass das Programmteam Ihre Antworten sehen darf")).to_be_visible()
    expect(lena.get_by_label(re.compile("^Ich bin einverstanden, dass das Programmteam meine Antworten"))).to_be_focused()
    lena.get_by_label(re.compile("^Ich bin einverstanden, dass das Programmteam meine Antworten")).check()
    lena.get_by_role("button", name="Meine Antworten speichern").click()
    expect(lena.get_by_text("Ihre Anmeldung ist vollständig.")).to_be_visible(timeout=15_000)
    expect(lena.get_by_text("eingewilligt, dass das Programmteam Ihre Antworten sieht", exact=False)).to_be_visible()
    expect(lena.get_by_text(f"Wir haben einen Link an {parent_email} geschickt.")).to_be_visible()
    # Opened again in her browser when the form is drawn anew, and never on the wire in the clear.
    expect(lena.get_by_label(re.compile("^What would you like to get out of the mentoring"))).to_have_value(hopes)
    assert not lena_wire.contains(hopes)
    shoot(lena, "program-registration-de")
    found += violations(lena, "registration (de)")
    parent = new_page(locale="de-DE")
    parent.goto(inbox.link(mail_containing(inbox, parent_email, "/guardian-consent#token=")))
    expect(parent.get_by_role("heading", name="Lena Vogel möchte an einem Mentoring-Programm teilnehmen")).to_be_visible(timeout=15_000)
    shoot(parent, "program-guardian-de")
    found += violations(parent, "guardian consent (de)")
    parent.get_by_role("button", name="Ich bestätige, dass Lena Vogel teilnehmen darf").click()
    expect(parent.get_by_text("Danke. Lena Vogel kann jetzt vermittelt werden.")).to_be_visible()
    lena.reload()
    expect(lena.get_by_text("hat bestätigt, dass Sie teilnehmen dürfen")).to_be_visible(timeout=15_000)
    lena.goto("/home")
    expect(lena.get_by_role("heading", name="Ihre Mentoring-Programme")).to_be_visible()
    expect(lena.get_by_role("heading", name="Mentoring-Programme für Sie")).to_have_count(0)

    # Her export holds the program and her answers, the free text opened on her device (docs/privacy.md, "Export").
    lena.goto("/export")
    lena.get_by_role("button", name="Export starten").click()
    expect(lena.get_by_role("heading", name="Ihr Export ist fertig")).to_be_visible(timeout=30_000)
    with lena.expect_download() as download:
        lena.get_by_role("button", name=re.compile("Daten speichern")).click()
    exported = json.loads(zipfile.ZipFile(download.value.path()).read("lotse-export.json"))
    [registration] = exported["programs"]
    assert registration["name"] == "Mentoring im ersten Studienjahr" and registration["role"] == "mentee"
    assert registration["institution"] == "Hochschule Rheinland"
    assert hopes in [answer["text"] for answer in registration["answers"]]
    assert not lena_wire.contains(hopes)

    # Mara, a student of a later year, registers as a mentor in English.
    mara_email = unique_email("mara")
    mara = new_page()
    mara.goto(link.replace(server.url, ""))
    mara.get_by_role("link", name="Create an account").click()
    mara.get_by_label("Your name").fill("Mara Schmitt")
    mara.get_by_label("Email address").fill(mara_email)
    mara.get_by_label("Password", exact=True).fill("correct horse battery staple")
    mara.get_by_label("Repeat the password").fill("correct horse battery staple")
    mara.get_by_role("button", name="Create account").click()
    expect(mara.get_by_role("heading", name="Check your inbox")).to_be_visible(timeout=15_000)
    mara.goto(inbox.link(inbox.wait_for(mara_email)))
    expect(mara.get_by_text("your address is confirmed")).to_be_visible()
    sign_in(mara, mara_email)
    if "/join/" not in mara.url:
        mara.get_by_role("link", name="Continue registering for the program").click()
    mara.get_by_role("button", name="Register as mentor").click()
    mara.get_by_role("link", name="Answer the registration questions").click()
    mara.get_by_role("checkbox", name="German").check()
    mara.get_by_role("checkbox", name="English").check()
    mara.get_by_role("checkbox", name="Mon, Evening").check()
    mara.get_by_role("checkbox", name="Starting your studies").check()
    expect(mara.get_by_label("How many mentees can you take?")).to_have_value("1")
    mara.get_by_label(re.compile("^I agree that the program team sees my answers")).check()
    mara.get_by_role("button", name="Save my answers").click()
    expect(mara.get_by_text("Your registration is complete.")).to_be_visible(timeout=15_000)

    # The rest of the cohort: Bob, on Ines's list as a mentor, through the link he was mailed; a third mentor and
    # five more mentees through the link. Their answers make one best matching: Bob takes three who want help with
    # exams, Dana two for the career entry.
    bob_link = re.search(r"https?://\S+/join/[a-z2-9]{10}", mail_containing(inbox, "bob@example.org", "/join/").get_content()).group(0)
    register(new_page, inbox, bob_link.replace(server.url, ""), "Bob Baker", "bob@example.org", "mentor", ["German"],
             ["Mon, Evening", "Tue, Evening"], ["Exams and learning"], places=3)
    code_path = link.replace(server.url, "")
    register(new_page, inbox, code_path, "Dana Okafor", unique_email("dana"), "mentor", ["English"], ["Tue, Evening"],
             ["Career entry"], places=2)
    for name, languages, slot, topic in [
        ("Emil Hartmann", ["German"], "Mon, Evening", "Exams and learning"),
        ("Greta Lindner", ["German"], "Tue, Evening", "Exams and learning"),
        ("Ivo Petrov", ["German"], "Tue, Evening", "Exams and learning"),
        ("Fatma Demir", ["English"], "Tue, Evening", "Career entry"),
        ("Hana Sato", ["English"], "Tue, Evening", "Career entry"),
    ]:
        register(new_page, inbox, code_path, name, unique_email(name.split()[0].lower()), "mentee", languages, [slot],
                 [topic]).close()

    # Ines sees them, closes registration and reviews the best matching, with why.
    ines.reload()
    expect(ines.get_by_text("Mentees: 6 · Mentors: 3 · Invited, not registered yet: 1")).to_be_visible(timeout=15_000)
    # Lena's hopes open in Ines's browser, for the staff only; her browser received them sealed.
    free_text = ines.get_by_role("region", name="Free-text answers")
    free_text.get_by_text("Lena Vogel").click()
    expect(free_text).to_contain_text(hopes)
    free_text.scroll_into_view_if_needed()
    shoot(ines, "program-free-text")
    assert not ines_wire.contains(hopes)
    expect(ines.get_by_role("table")).to_contain_text("Lena Vogel")
    ines.get_by_role("button", name="Close registration and start matching").click()
    expect(ines.locator(".program-lifecycle [aria-current=step]")).to_have_text("Matching")
    ines.get_by_role("button", name="Find the best matching").click()
    pair = ines.locator(".pair").filter(has_text="Lena Vogel")
    expect(pair).to_contain_text("Mara Schmitt")
    expect(pair).to_contain_text("100 % fit")
    expect(pair).to_contain_text("Which topics matter to you? 75 of 75")
    pair.get_by_label("Keep this pair").check()
    ines.get_by_role("button", name="Find again with the kept pairs").click()
    expect(ines.locator(".pair").filter(has_text="Lena Vogel").get_by_label("Keep this pair")).to_be_checked()
    shoot(ines, "program-matching")
    found += violations(ines, "program page (matching proposal)")
    for mentee in ["Emil Hartmann", "Greta Lindner", "Ivo Petrov"]:
        expect(ines.locator(".pair").filter(has_text=mentee)).to_contain_text("Bob Baker")
    for mentee in ["Fatma Demir", "Hana Sato"]:
        expect(ines.locator(".pair").filter(has_text=mentee)).to_contain_text("Dana Okafor")
    ines.get_by_role("button", name="Publish these pairs (6)").click()
    expect(ines.get_by_text("Published: 6.")).to_be_visible(timeout=15_000)
    expect(ines.get_by_role("region", name="Pairs")).to_contain_text("Waiting for answers")

    # Both accept on their start pages.
    lena.goto("/home")
    expect(lena.get_by_text("Ihre Begleitung: Mara Schmitt")).to_be_visible(timeout=15_000)
    expect(lena.get_by_text("Sie nehmen als Mentee an einem Mentoring-Programm teil.")).to_be_visible()
    # What waits for her is in her notification center too, and leads to this page.
    expect(lena.get_by_text("Ein Mentoring-Tandem wartet auf Ihre Antwort").first).to_be_visible()
    lena.get_by_role("button", name="Zusagen").click()
    expect(lena.get_by_text("Wartet auf die Antwort von Mara Schmitt.")).to_be_visible()
    # Answered, the line leaves what waits for her, without reloading.
    expect(lena.locator(".waiting-list").get_by_text("Ein Mentoring-Tandem wartet auf Ihre Antwort")).to_have_count(0, timeout=10_000)
    shoot(lena, "program-match-de")
    mara.goto("/home")
    expect(mara.get_by_text("Your mentee: Lena Vogel")).to_be_visible(timeout=15_000)
    mara.get_by_role("button", name="Accept").click()
    expect(mara.locator(".matches")).to_contain_text("Working together")

    # Mara opens their shared space: her browser makes the conversation's key and wraps it for both of them.
    mara.get_by_role("button", name="Start working together").click()
    expect(mara).to_have_url(re.compile(r"/engagements/[0-9A-F-]{36}$"), timeout=15_000)
    shoot(mara, "program-pair-space")
    expect(mara.get_by_role("heading", name="Mentoring with Lena Vogel")).to_be_visible()
    expect(mara.get_by_text("Mentor: Mara Schmitt · Mentee: Lena Vogel")).to_be_visible()
    # The program's template: the steps Ines kept from the suggestion, from the cohort's first day.
    expect(mara.get_by_text("Get to know each other and agree on goals")).to_be_visible()
    expect(mara.get_by_text("Check-in on day 14")).to_be_visible()
    # Mara, a student with no coach account, plans their regular appointment: every second week.
    open_section(mara, "Plan a recurring series")
    series = mara.get_by_role("form", name="Plan a recurring series")
    first = (datetime.now() + timedelta(days=3)).replace(hour=17, minute=0, second=0, microsecond=0)
    series.get_by_label(re.compile("^First session \\(your time")).fill(f"{first:%Y-%m-%dT%H:%M}")
    series.get_by_label("How often").select_option("2")
    series.get_by_label("Number of sessions (2 to 52)").fill("6")
    series.get_by_role("button", name="Plan the series").click()
    expect(mara.locator(".booking", has_text="series, session 6")).to_be_visible(timeout=15_000)
    shoot(mara, "program-pair-space")
    found += violations(mara, "a pair's shared space")

    # Lena opens the same space from her start page, sets a goal and writes to Mara: words staff must never see.
    canaries = {name: f"CANARY-{name}-{uuid.uuid4()}" for name in ["goal", "chat"]}
    lena.goto("/home")
    lena.get_by_role("link", name="Gemeinsamen Bereich öffnen").click()
    expect(lena).to_have_url(mara.url, timeout=15_000)
    space = mara.url.split("/engagements/")[1]
    expect(lena.get_by_role("heading", name="Mentoring mit Mara Schmitt")).to_be_visible()
    expect(lena.get_by_text("Check-in an Tag 14")).to_be_visible()
    open_section(lena, "Ziel hinzufügen")
    goal = lena.get_by_role("form", name="Ziel hinzufügen")
    goal.get_by_label("Titel").fill(canaries["goal"])
    goal.get_by_role("button", name="Ziel hinzufügen").click()
    expect(lena.get_by_text(canaries["goal"]).first).to_be_visible(timeout=15_000)
    shoot(lena, "program-pair-space-de")
    lena.get_by_role("link", name="Zur Unterhaltung").click()
    lena.get_by_label("Nachricht schreiben").fill(canaries["chat"])
    lena.get_by_role("button", name="Senden", exact=True).click()
    mara.goto(lena.url)
    expect(mara.get_by_text(canaries["chat"])).to_be_visible(timeout=15_000)
    # Exams: Lena pauses the pair for a while, then resumes it.
    lena.goto("/home")
    lena.get_by_role("button", name="Pausieren").click()
    expect(lena.locator(".matches")).to_contain_text("Pausiert")
    lena.get_by_role("button", name="Fortsetzen").click()
    expect(lena.get_by_role("button", name="Pausieren")).to_be_visible()
    # Four days on (the database's clock moved instead: the series' first session now lies a day back), both are
    # asked on their start pages whether they met; Lena answers with one click, and then nobody is asked again.
    with sqlite3.connect(Path(server.data) / "lotse.sqlite") as db:
        moved = db.execute(
            "UPDATE bookings SET starts_at = starts_at - 4 * 86400 WHERE occurrence = 1 AND series_id IS NOT NULL "
            "AND starts_at BETWEEN ? AND ?", (first.timestamp() - 86400, first.timestamp() + 86400)).rowcount
    assert moved == 1
    lena.reload()
    met = lena.get_by_role("group", name=re.compile("^Haben Sie und Mara Schmitt sich am .+ getroffen\\?$"))
    expect(met).to_be_visible(timeout=15_000)
    shoot(lena, "program-did-you-meet-de")
    found += violations(lena, "start page asking whether the pair met")
    mara.goto("/home")
    expect(mara.get_by_role("group", name=re.compile("^Did you and Lena Vogel meet on .+\\?$"))).to_be_visible(timeout=15_000)
    met.get_by_role("button", name="Ja, wir haben uns getroffen").click()
    expect(lena.get_by_text("Danke. Ihr Programm zählt den Termin als stattgefunden.")).to_be_visible()
    expect(met).to_have_count(0)
    mara.reload()
    expect(mara.locator(".matches")).to_contain_text("Working together", timeout=15_000)
    expect(mara.locator(".did-you-meet")).to_have_count(0)
    shoot(lena, "program-pair-home-de")
    ines.reload()
    expect(ines.get_by_role("region", name="Pairs")).to_contain_text("Working together", timeout=15_000)
    # The report counts without describing anyone: a program this small shows its figures hidden.
    report = ines.get_by_role("region", name="Report")
    expect(report).to_contain_text("Mentees registered")
    expect(report).to_contain_text("hidden (fewer than 5 people)")
    expect(report.get_by_role("table")).to_contain_text("Lena Vogel")
    expect(report.get_by_role("link", name="Download as CSV")).to_have_attribute("href", re.compile(r"/report\.csv$"))
    assert "Starting your studies" not in report.inner_text()
    shoot(ines, "program-report")
    found += violations(ines, "program page (report)")
    # Staff see that the pair works, never what it wrote: not in the pages they were shown, not in any answer of
    # the programs' API, and the pair's space is closed to them.
    program_path = ines.url.split(server.url, 1)[1]
    for path in ["", "/matches", "/participants", "/report", "/report.csv"]:
        answer = ines.request.get(f"{server.url}/api/v1{program_path}{path}")
        assert answer.ok, (path, answer.status)
        for canary in canaries.values():
            assert canary not in answer.text(), (path, canary)
    for path in [f"/engagements/{space}", f"/engagements/{space}/items", f"/conversations/{space}/messages"]:
        assert ines.request.get(f"{server.url}/api/v1{path}").status == 404, path
    for canary in canaries.values():
        assert not ines_wire.contains(canary), canary
    # The staff's pages read in German too.
    ines.get_by_role("button", name="DE", exact=True).click()
    expect(ines.get_by_role("region", name="Bericht")).to_contain_text("Tandems, bei denen es läuft", timeout=15_000)
    expect(ines.get_by_role("region", name="Freitext-Antworten")).to_be_visible()
    shoot(ines, "program-report-de")
    found += violations(ines, "program page (de)")
    ines.goto("/programs")
    ines.get_by_role("link", name="Datenschutz-Übersicht für Ihre Datenschutzbeauftragten").click()
    expect(ines.get_by_role("heading", name="Datenschutz-Übersicht: Hochschule Rheinland", level=1)).to_be_visible()
    expect(ines.get_by_role("region", name="Die Programme der Institution")).to_contain_text(
        "Mentoring im ersten Studienjahr")
    shoot(ines, "data-protection-summary-de")
    ines.get_by_role("button", name="EN", exact=True).click()
    ines.goto("/programs")
    expect(ines.get_by_role("heading", name="Hochschule Rheinland")).to_be_visible()
    found += violations(ines, "programs")
    found += violations(lena, "start page with a match (de)")

    # Lena withdraws her consent in her settings: asked once more, with what it deletes; then the team no longer sees
    # her answers, and the pair stays.
    lena.goto("/settings")
    consents = lena.get_by_role("region", name="Ihre Einwilligungen")
    expect(consents).to_contain_text(
        "„Mentoring im ersten Studienjahr“: Das Programmteam sieht Ihre Antworten aus der Anmeldung", timeout=15_000)
    consents.get_by_role("button", name="Widerrufen …").click()
    expect(consents.get_by_role("alert")).to_contain_text("werden Ihre Antworten aus der Anmeldung")
    expect(consents.get_by_role("button", name="Einwilligung widerrufen")).to_be_focused()
    shoot(lena, "consent-withdraw-de")
    found += violations(lena, "settings, withdrawing a consent")
    consents.get_by_role("button", name="Einwilligung widerrufen").click()
    expect(consents).to_contain_text("widerrufen am", timeout=15_000)
    staff_view = ines.request.get(f"{server.url}/api/v1{program_path}/participants").json()
    assert next(row for row in staff_view if row["displayName"] == "Lena Vogel").get("freeText") is None
    lena.goto("/home")
    expect(lena.locator(".matches")).to_contain_text("Mara Schmitt", timeout=15_000)
    assert found == [], "\n".join(found)
