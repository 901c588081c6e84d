"""The coaching process in two real browsers: directory, inquiry, agreement, workspace, private notes, closing.
The coach works in English, the client in German; every free text is a canary that must never reach the wire or the
database in plain text."""
import io
import re
import uuid
from pathlib import Path

from PIL import Image
from playwright.sync_api import expect

from helpers import Wire, coach_with_two_factor, shoot, sign_in, sign_up


def open_section(page, summary):
    """Opens one of the workspace's folded forms."""
    page.locator("summary", has_text=summary).click()


def save_program(coach, name, steps, screenshot=None):
    """Saves a program in the library, a row per step: (day, "milestone" or "check_in", title or None)."""
    coach.goto("/library")
    program = coach.get_by_role("form", name="Save a new program")
    expect(program.get_by_text("Day 0 is the day the program starts")).to_be_visible()
    program.get_by_label("Title", exact=True).fill(name)
    for number, (day, kind, title) in enumerate(steps, start=1):
        if number > 1:
            program.get_by_role("button", name="Add a step").click()
            expect(program.get_by_label(f"Title of step {number}")).to_be_focused()
        program.get_by_label(f"Day of step {number}").fill(str(day))
        program.get_by_label(f"Kind of step {number}").select_option(kind)
        if title:
            program.get_by_label(f"Title of step {number}").fill(title)
    if screenshot:
        shoot(coach, screenshot)
    program.get_by_role("button", name="Save a new program").click()
    expect(coach.get_by_role("listitem").filter(has_text=name).first).to_be_visible()


def database_bytes(server):
    return b"".join(path.read_bytes() for path in Path(server.data).glob("lotse.sqlite*"))


def test_from_directory_inquiry_to_closing_review(new_page, inbox, server, unique_email):
    canaries = {name: f"CANARY-{name}-{uuid.uuid4()}" for name in ["goals", "scope", "goal", "note", "feedback", "closing"]}
    coach_email, client_email = unique_email("carla"), unique_email("stern")
    slug = f"carla-{uuid.uuid4().hex[:8]}"

    coach = new_page()
    coach_wire = Wire(coach)
    coach_with_two_factor(coach, inbox, coach_email)
    coach.goto("/profile")
    expect(coach.get_by_role("heading", name="Your directory profile")).to_be_visible()
    # The address starts from her name; the place only matters for in-person sessions; the photo shows at once.
    expect(coach.get_by_label("Address of your page")).to_have_value("carla-coach")
    expect(coach.get_by_label("Place for in-person sessions")).to_be_hidden()
    coach.get_by_label("In person").check()
    expect(coach.get_by_label("Place for in-person sessions")).to_be_visible()
    coach.get_by_label("In person").uncheck()
    picture = io.BytesIO()
    Image.new("RGB", (64, 64), (29, 78, 95)).save(picture, format="PNG")
    # Chosen before the profile exists, the photo shows now and is saved with the profile.
    coach.locator("#profile-photo").set_input_files(files=[{"name": "carla.png", "mimeType": "image/png", "buffer": picture.getvalue()}])
    expect(coach.get_by_role("img", name="Your photo as the directory shows it")).to_be_visible()
    coach.get_by_label("Address of your page").fill(slug)
    expect(coach.get_by_text(f"/coaches/{slug}")).to_be_visible()
    coach.get_by_label("Headline").fill("Coaching für neue Führungskräfte")
    coach.get_by_label("About you and how you work").fill("I accompany your first 100 days.")
    coach.get_by_label("Topics").fill("Führung, Onboarding")
    coach.get_by_label("German", exact=True).check()  # English, the interface's, is ticked already
    coach.get_by_label("Rate (optional)").fill("120")
    coach.get_by_label("Show my profile in the public directory").check()
    coach.get_by_role("button", name="Save the profile").click()
    expect(coach.get_by_text("Profile saved.")).to_be_visible()
    expect(coach.get_by_text("Photo saved.")).to_be_visible()
    shoot(coach, "profile-form")
    save_program(coach, "Die ersten 100 Tage", [(day, "check_in", None) for day in (1, 30, 60, 90, 100)],
                 screenshot="library-program")

    # A prospective client (German browser, pseudonym "Stern") finds the coach by a German word, spelled without umlaut.
    client = new_page()
    client_wire = Wire(client)
    sign_up(client, inbox, client_email, name="Stern")
    client.get_by_role("button", name="DE", exact=True).click()
    assert sign_in(client, client_email, language="de")
    client.goto("/coaches?q=fuehrungskraefte&lang=de")
    expect(client.get_by_role("heading", name="Coach, Mentorin oder Mentor finden")).to_be_visible()
    client.get_by_role("link", name="Carla Coach").click()
    expect(client.get_by_text("120,00 € pro Sitzung")).to_be_visible()
    client.get_by_role("link", name="Anfrage senden").click()
    expect(client.get_by_role("heading", name="Anfrage an Carla Coach")).to_be_visible(timeout=15_000)
    client.get_by_label("Was möchten Sie erreichen?").fill(canaries["goals"])
    client.get_by_role("button", name="Anfrage senden").click()
    expect(client.get_by_role("heading", name="Begleitung mit Carla Coach")).to_be_visible(timeout=15_000)
    expect(client.get_by_text(canaries["goals"])).to_be_visible()

    # The coach reads the inquiry and proposes an agreement.
    coach.goto("/engagements")
    coach.get_by_role("link", name=re.compile("Stern")).click()
    expect(coach.get_by_role("heading", name="Engagement with Stern")).to_be_visible(timeout=15_000)
    expect(coach.get_by_text(canaries["goals"])).to_be_visible()
    open_section(coach, "Propose an agreement")
    agreement = coach.get_by_role("form", name="Propose an agreement")
    agreement.get_by_label("Sessions").fill("5")
    agreement.get_by_label("Fee (leave empty for none)").fill("600")
    agreement.get_by_label("What the work covers").fill(canaries["scope"])
    agreement.get_by_role("button", name="Propose an agreement").click()
    expect(coach.get_by_text("Agreement proposed").first).to_be_visible()

    # The client sees it live, reads the scope and confirms; the work starts.
    expect(client.get_by_text(canaries["scope"])).to_be_visible(timeout=15_000)
    expect(client.get_by_text("600,00 € insgesamt")).to_be_visible()
    # The stepper says where things stand: the agreement now, the work next.
    stepper = client.get_by_role("list", name="Wo die Begleitung steht")
    expect(stepper.locator("[aria-current=step]")).to_have_text("Vereinbarung")
    client.get_by_role("button", name="Vereinbarung bestätigen").click()
    expect(client.locator(".badge", has_text="Laufend")).to_be_visible(timeout=15_000)
    expect(stepper.locator("[aria-current=step]")).to_have_text("Zusammenarbeit")
    expect(client.get_by_text("Klientin oder Klient: ")).to_be_visible()  # one client, said in the singular

    # The coach applies the program, sets a goal and writes a private note.
    expect(coach.locator(".badge", has_text="Active")).to_be_visible(timeout=15_000)
    coach.get_by_label("Day 0").fill("2027-01-04")
    coach.get_by_role("button", name="Follow a program").click()
    expect(coach.get_by_text("Check-in on day 30")).to_be_visible()
    open_section(coach, "Add a goal")
    goal_form = coach.get_by_role("form", name="Add a goal")
    goal_form.get_by_label("Title").fill(canaries["goal"])
    goal_form.get_by_role("button", name="Add a goal").click()
    expect(coach.get_by_text(canaries["goal"]).first).to_be_visible()
    # Progress moved with the arrow keys: every step is saved and drawn again, and the slider keeps the focus.
    slider = coach.get_by_role("slider", name=re.compile("Progress"))
    slider.focus()
    for expected in ("5", "10"):
        coach.evaluate("document.activeElement.dataset.before = 'yes'")
        coach.keyboard.press("ArrowRight")
        # Drawn again from the server's answer: a new slider, with the saved value and the focus.
        coach.wait_for_function("() => !document.querySelector('input[type=range][data-before]')")
        expect(coach.get_by_role("slider", name=re.compile("Progress"))).to_have_value(expected)
        expect(coach.get_by_role("slider", name=re.compile("Progress"))).to_be_focused()
    open_section(coach, "Add a note")
    coach.get_by_label("Note", exact=True).fill(canaries["note"])
    coach.get_by_role("form", name="Add a note").get_by_role("button", name="Add a note").click()
    expect(coach.get_by_text(canaries["note"])).to_be_visible()

    # The client sees goal and milestones (the program's titles were written by the coach in English), ticks the
    # first check-in off, gives feedback, and never sees the note.
    client.reload()
    expect(client.get_by_text(canaries["goal"]).first).to_be_visible(timeout=15_000)
    # The check-ins read in the client's language, though the coach made the program in English.
    client.get_by_label("Check-in an Tag 1 erledigt").check()
    expect(client.get_by_label("Check-in an Tag 1 erledigt")).to_be_checked(timeout=10_000)
    open_section(client, "Feedback geben")
    client.get_by_label("Wie hilfreich war die Sitzung?").select_option("4")
    client.get_by_label("Kommentar").fill(canaries["feedback"])
    client.get_by_role("form", name="Feedback geben").get_by_role("button", name="Feedback geben").click()
    expect(client.get_by_text(canaries["feedback"])).to_be_visible()
    expect(client.get_by_text("Private Notizen")).to_have_count(0)
    assert not client_wire.contains(canaries["note"])

    # Closing: a closing review, then the coach closes; both timelines tell the story.
    coach.reload()
    expect(coach.get_by_text(canaries["feedback"])).to_be_visible(timeout=15_000)
    open_section(coach, "Write a closing review")
    coach.get_by_label("What was reached, what remains?").fill(canaries["closing"])
    coach.get_by_role("form", name="Write a closing review").get_by_role("button", name="Write a closing review").click()
    expect(coach.get_by_text(canaries["closing"])).to_be_visible()
    coach.get_by_role("button", name="Close the engagement").click()
    expect(coach.locator(".badge", has_text="Closed")).to_be_visible()
    expect(client.locator(".badge", has_text="Abgeschlossen")).to_be_visible(timeout=15_000)
    timeline = client.get_by_role("region", name="Verlauf").or_(client.locator("section", has=client.get_by_role("heading", name="Verlauf")))
    expect(timeline.first).to_contain_text("Carla Coach hat die Begleitung abgeschlossen")
    expect(timeline.first).to_contain_text("Stern hat die Vereinbarung bestätigt")

    # Dashboards: the coach's lists Stern with the program; the client's shows the engagement as closed.
    coach.goto("/engagements")
    expect(coach.get_by_role("link", name=re.compile("Stern.*Closed.*Die ersten 100 Tage"))).to_be_visible()

    stored = database_bytes(server)
    log = Path(server.log).read_bytes()
    for canary in canaries.values():
        assert not coach_wire.contains(canary), canary
        assert not client_wire.contains(canary), canary
        assert canary.encode() not in stored, canary
        assert canary.encode() not in log, canary


def test_a_coach_declines_politely_in_german(new_page, inbox, server, unique_email):
    coach_email, client_email = unique_email("konrad"), unique_email("alex")
    slug = f"konrad-{uuid.uuid4().hex[:8]}"
    coach = new_page()
    coach_with_two_factor(coach, inbox, coach_email)
    coach.get_by_role("button", name="DE", exact=True).click()
    coach.goto("/profile")
    coach.get_by_label("Adresse Ihrer Seite").fill(slug)
    coach.get_by_label("Überschrift").fill("Mentoring for engineers")
    # German, the interface's language, is ticked; he works in English only.
    coach.get_by_label("Englisch", exact=True).check()
    coach.get_by_label("Deutsch", exact=True).uncheck()
    shoot(coach, "profile-form-de")
    coach.get_by_label("Mein Profil im öffentlichen Verzeichnis zeigen").check()
    coach.get_by_role("button", name="Profil speichern").click()
    expect(coach.get_by_text("Profil gespeichert.")).to_be_visible()

    client = new_page()
    sign_up(client, inbox, client_email, name="Alex Kim")
    assert sign_in(client, client_email)
    client.goto(f"/coaches/{slug}?lang=en")
    client.get_by_role("link", name="Send an inquiry").click()
    client.get_by_label("What would you like to reach?").fill("Grow into a lead role")
    client.get_by_role("button", name="Send the inquiry").click()
    expect(client.get_by_role("heading", name="Engagement with Carla Coach")).to_be_visible(timeout=15_000)

    coach.goto("/engagements")
    coach.get_by_role("link", name=re.compile("Alex Kim")).click()
    expect(coach.get_by_text("Grow into a lead role")).to_be_visible(timeout=15_000)
    open_section(coach, "Freundlich absagen")
    coach.get_by_label("Begründung (freiwillig)").fill("Leider bin ich bis Juni ausgebucht.")
    coach.get_by_role("form", name="Freundlich absagen").get_by_role("button", name="Freundlich absagen").click()
    expect(coach.locator(".badge", has_text="Abgelehnt")).to_be_visible()

    expect(client.get_by_text("The coach declined this inquiry.")).to_be_visible(timeout=15_000)
    expect(client.get_by_text("Leider bin ich bis Juni ausgebucht.")).to_be_visible()


def test_a_group_starts_from_a_program_and_everyone_confirms(new_page, inbox, server, unique_email):
    coach_email, anna_email, ben_email = unique_email("gina"), unique_email("anna"), unique_email("ben")
    members = {}
    for email, name in [(anna_email, "Anna Adler"), (ben_email, "Ben Brandt")]:
        page = new_page()
        sign_up(page, inbox, email, name=name)
        assert sign_in(page, email)  # sets up the keys the coach's browser seals for
        members[name] = page

    coach = new_page()
    coach_with_two_factor(coach, inbox, coach_email)
    save_program(coach, "Social-Media-Workshop", [(14, "milestone", "Redaktionsplan steht"), (0, "milestone", "Kick-off")])
    coach.goto("/engagements")
    coach.get_by_label("Their email addresses").fill(f"{anna_email}, {ben_email}")
    coach.get_by_label("Start from a program (optional)").select_option(label="Social-Media-Workshop")
    coach.get_by_role("button", name="Start the engagement").click()
    expect(coach.get_by_role("heading", name="Engagement with Anna Adler, Ben Brandt")).to_be_visible(timeout=15_000)
    expect(coach.get_by_text("Group of 2")).to_be_visible()
    open_section(coach, "Propose an agreement")
    coach.get_by_label("What the work covers").fill("Vier Workshops zu Redaktionsplan und Community")
    coach.get_by_role("form", name="Propose an agreement").get_by_role("button", name="Propose an agreement").click()
    expect(coach.get_by_text("Anna Adler: not confirmed yet · Ben Brandt: not confirmed yet")).to_be_visible()

    for name, page in members.items():
        page.goto("/engagements")
        page.get_by_role("link", name=re.compile("Carla Coach")).click()
        expect(page.get_by_text("Vier Workshops zu Redaktionsplan und Community")).to_be_visible(timeout=15_000)
        page.get_by_role("button", name="Confirm this agreement").click()
        expect(page.get_by_text(f"{name}: confirmed")).to_be_visible(timeout=15_000)
    expect(coach.locator(".badge", has_text="Active")).to_be_visible(timeout=15_000)
    # The program's milestones are everyone's, due on their days.
    for page in [coach, *members.values()]:
        page.reload()
        expect(page.get_by_text("Redaktionsplan steht")).to_be_visible(timeout=15_000)
