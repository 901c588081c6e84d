"""Scheduling in two real browsers on two continents: a coach in Berlin opens her hours, a client in New York books,
moves and cancels in his own time; proposals, a series, the calendar's agenda and week, reminders' time zone and the
private feed. Both browsers run in their own time zone, as people's devices do."""
import datetime
import re
import time
import urllib.error
import urllib.request

from zoneinfo import ZoneInfo

from icalendar import Calendar
from playwright.sync_api import expect

from helpers import add_session_type, assert_fits_a_phone, coach_with_two_factor, shoot, sign_in, sign_up, start_engagement_with
from test_engagements import open_section

BERLIN, NEW_YORK = "Europe/Berlin", "America/New_York"


def long_day(day):
    """How the web client names a day in English: "Monday, December 7, 2026"."""
    return f"{day:%A}, {day:%B} {day.day}, {day.year}"


def short_day(day):
    """ "Mon, Dec 7"."""
    return f"{day:%a}, {day:%b} {day.day}"


def at(day, clock, zone):
    """An instant: a wall-clock time on a day in a zone, e.g. at(monday, "16:00", BERLIN)."""
    hour, minute = map(int, clock.split(":"))
    return datetime.datetime.combine(day, datetime.time(hour, minute), ZoneInfo(zone))


def shown(moment, zone):
    """How the English web client shows an instant's time to a viewer in `zone`: "04:00 PM"."""
    return moment.astimezone(ZoneInfo(zone)).strftime("%I:%M %p")


def gmt(zone, moment):
    """The zone's offset as the web client names it then: "GMT+1", "GMT-5"."""
    hours = moment.astimezone(ZoneInfo(zone)).utcoffset().total_seconds() / 3600
    return f"GMT{hours:+.0f}"


def mail_with(inbox, address, subject, timeout=15):
    """The first mail to `address` whose subject contains `subject`."""
    deadline = time.time() + timeout
    while time.time() < deadline:
        with inbox.lock:
            found = [m for rcpt, m in inbox.messages if address in rcpt and subject in m["Subject"]]
        if found:
            return found[0]
        time.sleep(0.05)
    raise AssertionError(f"no mail “{subject}” to {address}")


def day_of_slots(picker, day):
    """The group of free times of `day` in a picker (or a page with one), showing later days until it is there."""
    group = picker.get_by_role("group", name=long_day(day))
    for _ in range(12):
        if group.count():
            return group
        picker.get_by_role("button", name="Show later days").click()
    raise AssertionError(f"no free times shown for {day}")


def test_a_client_in_new_york_books_a_coach_in_berlin(new_page, inbox, server, unique_email):
    coach_email, client_email = unique_email("carla"), unique_email("sam")
    today = datetime.datetime.now(ZoneInfo(BERLIN)).date()
    # A Monday at least four days ahead, so no notice rule or today's hour gets in the way, and the days after.
    monday = today + datetime.timedelta(days=4 + (7 - (today + datetime.timedelta(days=4)).weekday()) % 7)
    tuesday, thursday, friday = (monday + datetime.timedelta(days=n) for n in (1, 3, 4))
    week = datetime.timedelta(days=7)

    client = new_page(timezone_id=NEW_YORK)
    sign_up(client, inbox, client_email, name="Sam Client")
    assert sign_in(client, client_email)

    coach = new_page(timezone_id=BERLIN)
    coach_with_two_factor(coach, inbox, coach_email)

    # The coach opens her hours (in her browser's zone, which the form starts from) and a session type.
    coach.goto("/calendar")
    coach.get_by_role("link", name="Availability and session types").click()
    expect(coach.get_by_role("heading", name="Availability and session types")).to_be_visible()
    expect(coach.get_by_label("Your time zone (the hours below are in it)")).to_have_value(BERLIN)
    # Never saved: Monday to Friday, 9 to 17, as suggested; the weekend is off.
    expect(coach.get_by_text("Suggested: Monday to Friday, 9 to 17.")).to_be_visible()
    for weekday in ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"]:
        expect(coach.get_by_label(weekday, exact=True)).to_be_checked()
    expect(coach.get_by_label("Saturday", exact=True)).not_to_be_checked()
    # Tuesday has a lunch break: a second span, first overlapping by mistake.
    tuesday_row = coach.locator('[data-field="day-2"]')
    tuesday_row.get_by_label("Tuesday until").select_option("12:00")
    tuesday_row.get_by_role("button", name="Add hours").click()
    tuesday_row.get_by_label("Tuesday from").nth(1).select_option("11:00")
    tuesday_row.get_by_label("Tuesday until").nth(1).select_option("17:00")
    coach.get_by_role("button", name="Save availability").click()
    expect(tuesday_row.get_by_text("On Tuesday, two spans overlap.")).to_be_visible()
    tuesday_row.get_by_label("Tuesday from").nth(1).select_option("13:00")
    coach.get_by_label("Start times every").select_option("60")
    coach.get_by_label("Clients book at least").select_option("720")
    coach.get_by_label("Dates with other hours").fill(f"{thursday}")  # closed that day
    coach.get_by_role("button", name="Save availability").click()
    expect(coach.get_by_text("Availability saved.")).to_be_visible()
    assert coach.get_by_text("Availability saved.").is_visible() and coach.evaluate(
        "(() => { const r = document.querySelector('.toast').getBoundingClientRect(); return r.top >= 0 && r.bottom <= innerHeight; })()"
    ), "the note that it was saved shows where the coach is, not off-screen"
    shoot(coach, "availability-saved")
    types = add_session_type(coach, "Coaching session")
    types.get_by_label("Price (optional)").fill("120")
    types.get_by_role("button", name="Add a session type").click()
    expect(coach.get_by_text("Coaching session · 60 min · Online")).to_be_visible()
    coach.reload()
    tuesday_row = coach.locator('[data-field="day-2"]')
    expect(tuesday_row.get_by_label("Tuesday from")).to_have_count(2)
    assert [tuesday_row.get_by_label(f"Tuesday {which}").nth(n).input_value() for n in (0, 1) for which in ("from", "until")] \
        == ["09:00", "12:00", "13:00", "17:00"]

    # She starts an engagement with the client.
    engagement_url = start_engagement_with(coach, client_email, "Sam Client")

    # The client books in New York time: the coach's hours in Berlin, as his clock reads them.
    client.goto(engagement_url)
    expect(client.get_by_role("heading", name="Engagement with Carla Coach")).to_be_visible(timeout=15_000)
    open_section(client, "Book a session")
    first_slot = at(monday, "09:00", BERLIN)
    expect(client.get_by_text(f"Times in your time zone, America/New York ({gmt(NEW_YORK, first_slot)}).").first).to_be_visible()
    expect(client.get_by_text(f"Your coach's calendar is in Europe/Berlin ({gmt(BERLIN, first_slot)}).")).to_be_visible()
    slots = day_of_slots(client, monday)
    expect(slots.get_by_role("button")).to_have_text([shown(at(monday, f"{hour}:00", BERLIN), NEW_YORK) for hour in range(9, 17)])
    expect(day_of_slots(client, tuesday).get_by_role("button")).to_have_text(
        [shown(at(tuesday, f"{hour}:00", BERLIN), NEW_YORK) for hour in (9, 10, 11, 13, 14, 15, 16)])
    day_of_slots(client, friday)
    assert client.get_by_role("group", name=long_day(thursday)).count() == 0

    def span(moment, zone, minutes=60):
        return f"{shown(moment, zone)}–{shown(moment + datetime.timedelta(minutes=minutes), zone)}"

    booked_at = at(monday, "16:00", BERLIN)
    slots.get_by_role("button", name=f"{long_day(monday)}, {span(booked_at, NEW_YORK)}").click()
    expect(client.get_by_text(f"Book “Coaching session” on {long_day(monday)}, {span(booked_at, NEW_YORK)}?")).to_be_visible()
    client.get_by_role("button", name="Book this time").click()
    booked = client.locator(".booking", has_text="Coaching session")
    expect(booked).to_contain_text(f"{short_day(monday)}, {span(booked_at, NEW_YORK)}", timeout=15_000)
    expect(booked).to_contain_text(
        f"({short_day(monday)}, {span(booked_at, BERLIN)} for Carla Coach, Europe/Berlin ({gmt(BERLIN, booked_at)}))")
    expect(booked).to_contain_text("You can move or cancel this until")

    # Mails speak each person's zone, which their browser set without asking; both carry the invitation.
    for address, zone in [(client_email, NEW_YORK), (coach_email, BERLIN)]:
        mail = mail_with(inbox, address, "Booked: Coaching session")
        body = mail.get_body(preferencelist=("plain",)).get_content()
        assert f"{booked_at.astimezone(ZoneInfo(zone)):%H:%M} ({zone})" in body, body
        invitation = next(part for part in mail.iter_attachments() if part.get_content_type() == "text/calendar")
        event = Calendar.from_ical(invitation.get_content()).walk("VEVENT")[0]
        assert event.decoded("DTSTART") == booked_at

    # The coach's agenda shows it live in Berlin time; the week view places it on Monday.
    coach.goto("/calendar")
    agenda_day = coach.get_by_role("region", name=long_day(monday), exact=True)
    expect(agenda_day).to_contain_text(span(booked_at, BERLIN), timeout=15_000)
    expect(agenda_day).to_contain_text("with Sam Client")
    coach.get_by_role("link", name="Week", exact=True).click()
    shown_monday = today - datetime.timedelta(days=today.weekday())
    while shown_monday < monday:
        coach.get_by_role("link", name="Next week").click()
        shown_monday += week
        expect(coach.get_by_role("region", name=long_day(shown_monday), exact=True)).to_be_visible()
    expect(coach.get_by_role("region", name=long_day(monday), exact=True).get_by_role("link")).to_contain_text(
        f"{span(booked_at, BERLIN)} Coaching session")
    expect(coach.get_by_role("region", name=long_day(tuesday), exact=True).get_by_role("link")).to_have_count(0)

    # The client moves it to Tuesday morning; its own hour stays on offer while it moves.
    booked.get_by_role("button", name="Move").click()
    expect(day_of_slots(booked, monday).get_by_role("button", name=f"{long_day(monday)}, {span(booked_at, NEW_YORK)}")).to_be_visible()
    moved_at = at(tuesday, "10:00", BERLIN)
    day_of_slots(booked, tuesday).get_by_role("button", name=f"{long_day(tuesday)}, {span(moved_at, NEW_YORK)}").click()
    client.get_by_role("button", name="Move the session").click()
    expect(booked).to_contain_text(f"{short_day(tuesday)}, {span(moved_at, NEW_YORK)}", timeout=15_000)
    mail_with(inbox, client_email, "Moved: Coaching session")
    expect(coach.get_by_role("region", name=long_day(tuesday), exact=True).get_by_role("link")).to_contain_text(
        f"{span(moved_at, BERLIN)} Coaching session", timeout=15_000)

    # The coach proposes two times in her zone; the client picks one in his.
    coach.goto(engagement_url)
    open_section(coach, "Propose times")
    proposal = coach.get_by_role("form", name="Propose times")
    options = [at(monday + week, "18:00", BERLIN), at(tuesday + week, "08:30", BERLIN)]
    for number, option in enumerate(options, start=1):
        proposal.get_by_label(re.compile(f"^Time {number} \\(your time, Europe/Berlin")).fill(f"{option:%Y-%m-%dT%H:%M}")
    third = proposal.get_by_label(re.compile("^Time 3 \\(your time"))
    third.fill(f"{options[0]:%Y-%m-%dT%H:%M}")
    proposal.get_by_role("button", name="Propose these times").click()
    expect(proposal.locator("[data-field=start2] .field-error")).to_contain_text("a time listed twice")  # at Time 3
    third.fill("")
    proposal.get_by_role("button", name="Propose these times").click()
    expect(coach.get_by_text("Waiting for Sam Client to pick one of these times:")).to_be_visible(timeout=15_000)
    mail_with(inbox, client_email, "Times proposed: Coaching session")
    pick = client.get_by_role("group", name="Pick a time for Coaching session")
    expect(pick).to_be_visible(timeout=15_000)

    def when(moment, zone):
        return f"{short_day(moment.astimezone(ZoneInfo(zone)))}, {shown(moment, zone)}"

    expect(pick.get_by_role("button")).to_have_text([when(option, NEW_YORK) for option in options] + ["None of these suits me — ask for other times"])
    pick.get_by_role("button", name=when(options[1], NEW_YORK)).click()
    expect(client.locator(".booking", has_text=f"{when(options[1], NEW_YORK)}–")).to_be_visible(timeout=15_000)
    expect(coach.get_by_text("Waiting for Sam Client")).to_have_count(0, timeout=15_000)

    # A series every second week, three sessions; the client cancels the second, the others stay.
    open_section(coach, "Plan a recurring series")
    series = coach.get_by_role("form", name="Plan a recurring series")
    first = at(monday + 2 * week, "11:00", BERLIN)
    series.get_by_label(re.compile("^First session \\(your time, Europe/Berlin")).fill(f"{first:%Y-%m-%dT%H:%M}")
    series.get_by_label("How often").select_option("2")
    series.get_by_label("Number of sessions (2 to 52)").fill("3")
    series.get_by_role("button", name="Plan the series").click()
    expect(coach.locator(".booking", has_text="series, session 3")).to_be_visible(timeout=15_000)
    mail_with(inbox, client_email, "Series booked: Coaching session")
    client.goto("/calendar")
    second_at = at(monday + 4 * week, "11:00", BERLIN)
    second = client.get_by_role("region", name=long_day(monday + 4 * week), exact=True).locator(".booking")
    expect(second).to_contain_text("series, session 2")
    expect(second.locator(".booking-when")).to_have_text(
        f"{span(second_at, NEW_YORK)} ({short_day(monday + 4 * week)}, {span(second_at, BERLIN)} for Carla Coach, "
        f"Europe/Berlin ({gmt(BERLIN, second_at)}))")
    second.get_by_role("button", name="Cancel the session").click()
    client.get_by_role("button", name="Yes, cancel it").click()
    expect(client.locator(".booking", has_text="series, session 2")).to_have_count(0, timeout=15_000)
    expect(client.locator(".booking", has_text="series, session")).to_have_count(2)
    mail_with(inbox, coach_email, "Cancelled: Coaching session")

    # Calendar settings: his zone was taken from the browser; a private feed for his calendar app, then revoked.
    expect(client.get_by_label("Time zone for emails and reminders")).to_have_value(NEW_YORK)
    for choice in ["1 week before", "2 days before", "4 hours before"]:  # and the default 1 day, 1 hour
        client.get_by_label(choice).check()
    client.get_by_role("button", name="Save the settings").click()
    expect(client.get_by_text("Choose at most four reminders.")).to_be_visible()
    client.get_by_label("1 week before").uncheck()
    client.get_by_role("button", name="Save the settings").click()
    expect(client.get_by_text("Calendar settings saved.")).to_be_visible()
    client.reload()
    expect(client.get_by_label("2 days before")).to_be_checked()
    expect(client.get_by_label("1 week before")).not_to_be_checked()
    client.get_by_role("button", name="Make a subscription address").click()
    feed_url = client.get_by_label("Subscription address").input_value()
    assert re.fullmatch(re.escape(server.url) + r"/calendar/[A-Za-z0-9_-]+\.ics", feed_url), feed_url
    feed = Calendar.from_ical(urllib.request.urlopen(feed_url, timeout=5).read())
    starts = sorted(event.decoded("DTSTART") for event in feed.walk("VEVENT") if str(event.get("STATUS")) == "CONFIRMED")
    assert starts == [moved_at, options[1], first, first + 4 * week], starts
    client.reload()
    expect(client.get_by_text("A subscription address is active.")).to_be_visible()
    assert client.get_by_label("Subscription address").count() == 0  # shown once only
    client.get_by_role("button", name="Turn the subscription off").click()
    expect(client.get_by_text("No subscription address is active.")).to_be_visible()
    try:
        urllib.request.urlopen(feed_url, timeout=5)
        raise AssertionError("a revoked feed still answers")
    except urllib.error.HTTPError as error:
        assert error.code == 404

    # His start page names the next session.
    client.goto("/home")
    expect(client.locator(".next-session")).to_have_text(
        f"Your next session: {short_day(tuesday)}, {span(moved_at, NEW_YORK)}, “Coaching session” with Carla Coach. Calendar")

    # German is first-class here too.
    coach.goto("/calendar")
    coach.get_by_role("button", name="DE", exact=True).click()
    expect(coach.get_by_role("heading", name="Kalender", exact=True)).to_be_visible()
    expect(coach.get_by_role("heading", name="Kommende Termine")).to_be_visible()
    expect(coach.locator(".booking-when").first).to_have_text(re.compile(f"{moved_at:%H:%M}–{moved_at.hour + 1:02d}:00$"))
    expect(coach.get_by_role("button", name="Verschieben").first).to_be_visible()

    # On a phone: every control labelled, nothing scrolls sideways (the week scrolls inside itself).
    coach.set_viewport_size({"width": 360, "height": 740})
    for path in ["/calendar", f"/calendar#week={monday}", "/availability", engagement_url]:
        coach.goto(path)
        expect(coach.locator("h1")).to_be_visible()
        coach.wait_for_load_state("networkidle")
        assert_fits_a_phone(coach, path)


def test_the_first_meeting_is_a_booked_session(new_page, inbox, server, unique_email):
    """The workspace leads through the first meeting: the coach proposes free times from the next step at the top;
    the client (German) asks for others once, then picks one; it is booked in both calendars, holds the hour, and
    the next step moves on to the agreement."""
    coach_email, client_email = unique_email("carla"), unique_email("jonas")
    today = datetime.datetime.now(ZoneInfo(BERLIN)).date()
    monday = today + datetime.timedelta(days=4 + (7 - (today + datetime.timedelta(days=4)).weekday()) % 7)

    client = new_page(timezone_id=BERLIN)
    sign_up(client, inbox, client_email, name="Jonas Berg")
    client.get_by_role("button", name="DE", exact=True).click()
    assert sign_in(client, client_email, language="de")

    coach = new_page(timezone_id=BERLIN)
    coach_with_two_factor(coach, inbox, coach_email)
    coach.goto("/availability")
    # Monday ends at 16:00, and so does every open day once applied to all.
    coach.get_by_label("Monday until").select_option("16:00")
    coach.locator('[data-field="day-1"]').get_by_role("button", name="Apply to all open days").click()
    expect(coach.get_by_label("Friday until")).to_have_value("16:00")
    expect(coach.get_by_label("Saturday", exact=True)).not_to_be_checked()
    expect(coach.locator('[data-field="day-1"]').get_by_role("button", name="Apply to all open days")).to_be_focused()
    shoot(coach, "availability-week")
    coach.get_by_label("Start times every").select_option("60")
    coach.get_by_role("button", name="Save availability").click()
    expect(coach.get_by_text("Availability saved.")).to_be_visible()
    add_session_type(coach, "Erstgespräch").get_by_role("button", name="Add a session type").click()
    expect(coach.get_by_text("Erstgespräch · 60 min · Online")).to_be_visible()
    engagement_url = start_engagement_with(coach, client_email, "Jonas Berg")

    # The next step is at the top, with its one primary action.
    client.goto(engagement_url)
    client_step = client.get_by_role("region", name="Nächster Schritt")
    expect(client_step).to_contain_text("Carla Coach hat Sie eingeladen und schlägt Zeiten für ein erstes Treffen vor", timeout=15_000)
    step = coach.get_by_role("region", name="Next step")
    expect(step).to_contain_text("You invited Jonas Berg. Propose times for a first meeting")
    shoot(coach, "next-step-coach-invited")

    def propose(*hours):
        step.get_by_role("button", name="Propose times for a first meeting").click()
        for hour in hours:
            day_of_slots(step, monday).get_by_role("button", name=re.compile(f"^{long_day(monday)}, {hour}:00 AM")).click()
        expect(step.get_by_text(f"{len(hours)} of at most 5 times chosen.")).to_be_visible()
        with coach.expect_response(lambda r: r.url.endswith("/proposals")) as answer:
            step.get_by_role("button", name="Propose these times").click()
        assert answer.value.status == 201
        expect(step).to_contain_text("Waiting for Jonas Berg to pick one of your times:", timeout=15_000)

    propose("09")
    # None fits her: she asks for other times, and the coach is told.
    expect(client_step).to_contain_text("Carla Coach hat Zeiten für Ihr erstes Treffen vorgeschlagen", timeout=15_000)
    client_step.get_by_role("button", name="Keine passt – um andere Zeiten bitten").click()
    expect(client.get_by_text("Sie haben Carla Coach um andere Zeiten gebeten")).to_be_visible()
    # The coach, looking at the engagement, is told where she looks; it counts as seen.
    expect(coach.locator(".toast", has_text="Jonas Berg asks for another time")).to_be_visible(timeout=5_000)
    coach.locator("#notifications-button").click()
    expect(coach.get_by_role("region", name="Notifications").get_by_role("link").first).to_have_text(
        re.compile("^Jonas Berg asks for another time"))
    expect(coach.locator("#notifications-badge")).to_be_hidden()
    coach.keyboard.press("Escape")
    expect(step).to_contain_text("Propose times for a first meeting", timeout=15_000)

    propose("10", "11")
    shoot(coach, "next-step-coach-waiting")
    expect(client_step.get_by_role("button")).to_have_count(3, timeout=15_000)  # two times and "ask for others"
    shoot(client, "next-step-client-pick")
    client_step.get_by_role("button").nth(1).click()  # the later one: 11:00
    expect(client_step).to_contain_text("Ihr erstes Treffen mit Carla Coach ist für", timeout=15_000)
    expect(client.locator(".stepper [aria-current=step]")).to_have_text("Erstgespräch")

    # Booked in both calendars, with the calendar file; the hour is no longer offered.
    # Each in their language: she chose German on the sign-in page, and the account kept it.
    for address, subject in ((client_email, "Gebucht: Erstgespräch"), (coach_email, "Booked: Erstgespräch")):
        deadline = time.time() + 15
        while not (booked := [m for rcpt, m in list(inbox.messages) if address in rcpt and m["Subject"] == subject]):
            assert time.time() < deadline, f"no booking mail to {address}"
            time.sleep(0.05)
        assert any(part.get_content_type() == "text/calendar" for part in booked[0].walk())
    open_section(client, "Termin buchen")
    iso = lambda clock: at(monday, clock, BERLIN).astimezone(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.000Z")
    ten = client.locator(f'.slot time[datetime="{iso("14:00")}"]')  # the same afternoon is free
    for _ in range(4):
        if ten.count() or not client.get_by_role("button", name="Spätere Tage zeigen").is_visible():
            break
        client.get_by_role("button", name="Spätere Tage zeigen").click()
    expect(ten).to_have_count(1)
    expect(client.locator(f'.slot time[datetime="{iso("11:00")}"]')).to_have_count(0)
    client.goto("/calendar")
    expect(client.locator(".booking", has_text="Erstgespräch")).to_contain_text("11:00")

    # The coach's next step is the agreement, its form opened by the primary button.
    expect(step).to_contain_text("The first meeting with Jonas Berg is booked for", timeout=15_000)
    step.get_by_role("button", name="Propose an agreement").click()
    expect(coach.get_by_role("form", name="Propose an agreement").get_by_label("Sessions")).to_be_focused()
    shoot(coach, "next-step-coach-booked")
