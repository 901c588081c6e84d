"""End-to-end encrypted conversations between two real browsers: the server and the wire see only ciphertext."""
import re
import sqlite3
import uuid
from pathlib import Path

from playwright.sync_api import expect

from helpers import Wire, coach_with_two_factor, reset_password, shoot, sign_in, sign_up


def test_coach_and_client_write_end_to_end_encrypted(new_page, inbox, server, unique_email, tmp_path):
    canary_chat = f"CANARY-chat-{uuid.uuid4()}"
    canary_letter = f"CANARY-letter-{uuid.uuid4()}"
    canary_file = f"CANARY-file-{uuid.uuid4()}"
    client_email, coach_email = unique_email("clara"), unique_email("carla")

    client = new_page()
    client_wire = Wire(client)
    sign_up(client, inbox, client_email, name="Clara Klientin")
    client.get_by_role("button", name="DE", exact=True).click()  # she reads German; the coach English
    assert sign_in(client, client_email, language="de")

    coach = new_page()
    coach_wire = Wire(coach)
    coach_with_two_factor(coach, inbox, coach_email)
    coach.goto("/conversations")
    expect(coach.get_by_role("heading", name="Conversations")).to_be_visible()
    coach.get_by_label("Email addresses").fill(client_email)
    coach.get_by_role("button", name="Start conversation").click()
    expect(coach.get_by_role("heading", name="Clara Klientin")).to_be_visible(timeout=15_000)
    # Clara is signed in: the new conversation shows her online at once (presence used to reach people only when
    # someone connected, so both saw each other offline).
    expect(coach.get_by_text("Clara Klientin: online")).to_be_visible(timeout=10_000)

    # The client finds the conversation, opens it, and both see each other online.
    client.goto("/conversations")
    client.get_by_role("link", name=re.compile("Carla Coach")).click()
    expect(client.get_by_role("heading", name="Carla Coach")).to_be_visible(timeout=15_000)
    expect(client.get_by_text("Carla Coach: online")).to_be_visible(timeout=10_000)
    expect(client.get_by_text("Keine Datei ausgewählt.")).to_be_visible()  # the file picker speaks German too
    shoot(client, "thread-de")
    expect(coach.get_by_text("Clara Klientin: online")).to_be_visible(timeout=10_000)

    # Live chat: typing shows up, the message arrives without a reload, and the coach's view says it was read.
    client.get_by_label("Nachricht schreiben").fill(canary_chat)
    expect(coach.get_by_text("Clara Klientin is typing…")).to_be_visible(timeout=10_000)
    client.get_by_role("button", name="Senden", exact=True).click()
    expect(coach.locator(".message .text", has_text=canary_chat)).to_be_visible(timeout=10_000)
    expect(client.locator(".message.own .text", has_text=canary_chat)).to_be_visible()
    expect(client.locator(".message.own .receipt")).to_have_text("Gelesen", timeout=10_000)
    shoot(client, "thread-sent-de")  # the sent message as its author sees it, and as its reader does
    shoot(coach, "thread-sent-en")

    # A letter with an attachment, drafted first: the draft survives a reload, encrypted.
    coach.get_by_label("Letter").check()
    coach.get_by_label("Subject").fill("Your first week")
    coach.get_by_label("Write a message").fill(canary_letter)
    expect(coach.get_by_text("Draft saved (encrypted).")).to_be_visible(timeout=10_000)
    coach.reload()
    expect(coach.get_by_text("Your saved draft is back.")).to_be_visible(timeout=15_000)
    expect(coach.get_by_label("Write a message")).to_have_value(canary_letter)
    attachment = tmp_path / "goals.txt"
    attachment.write_text(canary_file)
    coach.get_by_label("Attach files").set_input_files(str(attachment))
    coach.get_by_role("button", name="Send letter").click()
    letter = client.locator(".message.letter", has_text=canary_letter)
    expect(letter).to_be_visible(timeout=10_000)
    expect(letter.locator(".subject")).to_have_text("Your first week")
    with client.expect_download() as download:
        letter.get_by_role("button", name=re.compile("goals.txt")).click()
    assert Path(download.value.path()).read_text() == canary_file

    # Both sides compute the same safety number from the keys they hold.
    coach.get_by_role("button", name="Check encryption").click()
    client.get_by_role("button", name="Verschlüsselung prüfen").click()
    coach_number = coach.locator(".safety-number").inner_text()
    assert re.fullmatch(r"(\d{5} ){11}\d{5}", coach_number)
    expect(client.locator(".safety-number")).to_have_text(coach_number)

    # History after a reload comes from the API and is decrypted again in the browser.
    client.reload()
    expect(client.locator(".message .text", has_text=canary_chat)).to_be_visible(timeout=15_000)
    expect(client.locator(".message.letter .text", has_text=canary_letter)).to_be_visible()

    # The canaries were on screen, yet never on the wire, in the log or in the database files (which the capture
    # did see: ciphertext travelled, and the database holds the messages).
    assert client_wire.contains('"ciphertext"') and coach_wire.contains('"ciphertext"')
    databases = list(Path(server.data).glob("lotse.sqlite*"))
    with sqlite3.connect(Path(server.data) / "lotse.sqlite") as db:
        assert db.execute("SELECT count(*) FROM messages").fetchone()[0] >= 2
    for canary in (canary_chat, canary_letter, canary_file):
        assert not client_wire.contains(canary), canary
        assert not coach_wire.contains(canary), canary
        assert canary not in Path(server.log).read_text()
        for database in databases:
            assert canary.encode() not in database.read_bytes(), database
    frames = coach_wire.frames
    assert any(frame["type"] == "message" for frame in frames)
    assert any(frame["type"] == "typing" for frame in frames)
    assert any(frame["type"] == "receipt" for frame in frames)


def test_group_conversation_rotates_its_key_when_someone_is_removed(new_page, inbox, unique_email):
    coach = new_page()
    coach_with_two_factor(coach, inbox, unique_email("gcoach"))
    people = []
    for name in ("Anna", "Ben"):
        page, address = new_page(), unique_email(name.lower())
        sign_up(page, inbox, address, name=name)
        sign_in(page, address)
        people.append((page, address))
    (anna, anna_email), (ben, ben_email) = people

    coach.goto("/conversations")
    coach.get_by_label("Email addresses").fill(f"{anna_email}, {ben_email}")
    coach.get_by_role("button", name="Start conversation").click()
    expect(coach.get_by_role("heading", name="Anna, Ben")).to_be_visible(timeout=15_000)
    coach.get_by_label("Write a message").fill("Welcome to the workshop")
    coach.get_by_role("button", name="Send", exact=True).click()
    for page in (anna, ben):
        page.goto("/conversations")
        page.get_by_role("link", name=re.compile("Carla Coach")).click()
        expect(page.locator(".message .text", has_text="Welcome to the workshop")).to_be_visible(timeout=15_000)

    ben.get_by_label("Write a message").fill("Thanks, see you")
    ben.get_by_role("button", name="Send", exact=True).click()
    expect(coach.locator(".message .text", has_text="Thanks, see you")).to_be_visible(timeout=10_000)

    # The coach removes Ben; the next message goes under a new key that Ben never gets.
    coach.on("dialog", lambda dialog: dialog.accept())
    coach.get_by_text("Members").click()
    coach.get_by_role("button", name="Remove Ben").click()
    expect(coach.get_by_role("heading", name="Anna", exact=True)).to_be_visible(timeout=10_000)
    coach.get_by_label("Write a message").fill("Only for Anna now")
    coach.get_by_role("button", name="Send", exact=True).click()
    expect(anna.locator(".message .text", has_text="Only for Anna now")).to_be_visible(timeout=10_000)
    # What Ben wrote before still verifies, with his key as it was when he left.
    anna.reload()
    expect(anna.locator(".message", has_text="Thanks, see you").locator(".byline")).to_contain_text("Ben (left)", timeout=15_000)
    ben.goto("/conversations")
    expect(ben.get_by_text("No conversations yet.")).to_be_visible(timeout=10_000)


def test_history_stays_readable_when_someone_resets_without_the_recovery_key(new_page, inbox, server, unique_email):
    """Sam forgets password and recovery key. The coach still reads every earlier message, Sam's included, and is
    told that Sam's security number changed; Sam reads what comes after."""
    from conftest import OUTPUT

    sam_email, coach_email = unique_email("sam"), unique_email("carla")
    sam = new_page(viewport={"width": 1280, "height": 800})
    sign_up(sam, inbox, sam_email, name="Sam Schneider")
    assert sign_in(sam, sam_email)
    coach = new_page(viewport={"width": 1280, "height": 800})
    coach_with_two_factor(coach, inbox, coach_email)
    coach.goto("/conversations")
    coach.get_by_label("Email addresses").fill(sam_email)
    coach.get_by_role("button", name="Start conversation").click()
    expect(coach.get_by_role("heading", name="Sam Schneider")).to_be_visible(timeout=15_000)
    coach.get_by_label("Write a message").fill("How was the first week?")
    coach.get_by_role("button", name="Send", exact=True).click()
    sam.goto("/conversations")
    sam.get_by_role("link", name=re.compile("Carla Coach")).click()
    expect(sam.locator(".message .text", has_text="How was the first week?")).to_be_visible(timeout=15_000)
    sam.get_by_label("Write a message").fill("Exhausting, but good.")
    sam.get_by_role("button", name="Send", exact=True).click()
    expect(coach.locator(".message .text", has_text="Exhausting, but good.")).to_be_visible(timeout=15_000)
    coach.get_by_role("button", name="Check encryption").click()
    number_before = coach.locator(".safety-number").inner_text()

    # Sam resets the password by mail and leaves the recovery key empty; the next sign-in makes new keys.
    sam.get_by_role("button", name="Sign out").click()
    reset_password(sam, inbox, sam_email, "a new password after all")
    assert sign_in(sam, sam_email, password="a new password after all"), "new keys come with a new recovery key"

    # The coach still reads everything, Sam's words included, and sees where Sam's security number changed.
    coach.reload()
    expect(coach.locator(".message .text", has_text="How was the first week?")).to_be_visible(timeout=15_000)
    expect(coach.locator(".message .text", has_text="Exhausting, but good.")).to_be_visible()
    expect(coach.locator(".message .problem")).to_have_count(0)
    notice = coach.locator(".key-change")
    expect(notice).to_have_count(1)
    expect(notice).to_contain_text("Sam Schneider’s security number changed")
    # The notice stands after the messages from before the change.
    order = coach.locator("#main li.message, #main li.key-change").evaluate_all(
        "items => items.map(item => item.classList.contains('key-change') ? 'change' : item.querySelector('.text')?.textContent)")
    assert order == ["How was the first week?", "Exhausting, but good.", "change"], order
    coach.get_by_role("button", name="Check encryption").click()
    expect(coach.locator(".safety-number")).not_to_have_text(number_before)
    coach.screenshot(path=str(OUTPUT / "key-change-coach-1280.png"))

    # The coach writes on: the new key epoch includes Sam's new keys, so Sam reads it; Sam's own earlier view says
    # plainly why the old messages cannot come back.
    coach.get_by_label("Write a message").fill("Good to have you back.")
    coach.get_by_role("button", name="Send", exact=True).click()
    sam.goto("/conversations")
    sam.get_by_role("link", name=re.compile("Carla Coach")).click()
    expect(sam.locator(".message .text", has_text="Good to have you back.")).to_be_visible(timeout=15_000)
    expect(sam.locator(".message .problem", has_text="before you reset your password")).to_have_count(2)
    sam.screenshot(path=str(OUTPUT / "key-change-sam-1280.png"))
    coach.set_viewport_size({"width": 390, "height": 844})
    coach.locator(".key-change").scroll_into_view_if_needed()
    coach.screenshot(path=str(OUTPUT / "key-change-coach-390.png"))
    assert coach.evaluate("document.documentElement.scrollWidth <= window.innerWidth")

    # A server that rewrites Sam's earlier key (here: straight in the database) is caught by the coach's browser,
    # which remembers the history it saw: a warning above the thread, and Sam's old message no longer verifies.
    with sqlite3.connect(Path(server.data) / "lotse.sqlite") as db:
        changed = db.execute(
            "UPDATE account_key_versions SET signing_key = (SELECT signing_key FROM account_key_versions"
            " WHERE valid_until IS NULL LIMIT 1) WHERE version = 1 AND valid_until IS NOT NULL").rowcount
    assert changed == 1
    coach.reload()
    warning = coach.locator(".key-rewritten")
    expect(warning).to_contain_text("record of Sam Schneider’s earlier keys is not what this browser saw before",
                                    timeout=15_000)
    expect(coach.locator(".message .problem", has_text="could not be verified")).to_have_count(1)
    coach.screenshot(path=str(OUTPUT / "key-rewritten-coach-390.png"))

    # The same screens in German, wide and on a phone: the warning, the notice where the number changed, and Sam's
    # view of what she can no longer read.
    coach.get_by_role("button", name="DE", exact=True).click()
    expect(coach.locator(".key-rewritten")).to_contain_text("Aufzeichnung der Plattform über frühere Schlüssel",
                                                            timeout=15_000)
    expect(coach.locator(".key-change")).to_contain_text("Die Sicherheitsnummer von Sam Schneider hat sich am")
    for page, who in ((coach, "coach"), (sam, "sam")):
        if page is sam:
            # Sam's browser saw her own first key too, and is told in her own terms that its record changed.
            page.reload()
            page.get_by_role("button", name="DE", exact=True).click()
            expect(page.locator(".message .problem", has_text="bevor Sie Ihr Passwort")).to_have_count(2, timeout=15_000)
            expect(page.locator(".key-rewritten")).to_contain_text("Ihre eigenen früheren Schlüssel")
            expect(page.locator(".key-rewritten")).not_to_contain_text("Sam Schneider")
        shoot(page, f"key-history-{who}-de")
    coach.set_viewport_size({"width": 1280, "height": 800})
    coach.get_by_role("button", name="EN", exact=True).click()
    expect(coach.locator(".key-rewritten")).to_be_visible(timeout=15_000)
    coach.screenshot(path=str(OUTPUT / "key-rewritten-coach-en-1280.png"), full_page=True)
