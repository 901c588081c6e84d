"""Nobody misses what waits for them: a person whose tab is closed gets one private mail; an open tab shows the
badge within a second; the bell's panel, the start page's "Waiting for you", the tab title; a tab in the background
gets the browser's own notification and a sound; the coach anywhere in the app hears and sees who waits in the
video room (docs/notifications.md)."""
import re
import time

from playwright.sync_api import expect

from helpers import coach_with_two_factor, enter_call, shoot, sign_in, sign_up, start_engagement_with
from test_engagements import open_section

# A tab in the background, as far as the page can tell, whose browser allowed notifications; it records what it
# would have shown and how many tones it played.
BACKGROUND_TAB = """
Object.defineProperty(document, 'hidden', { get: () => true });
window.shownNotes = [];
window.Notification = class {
  static permission = 'granted';
  static requestPermission() { return Promise.resolve('granted'); }
  constructor(title) { window.shownNotes.push(title); }
  close() {}
};
window.tones = 0;
const makeTone = AudioContext.prototype.createOscillator;
AudioContext.prototype.createOscillator = function () { window.tones += 1; return makeTone.call(this); };
"""


def mails_to(inbox, address):
    with inbox.lock:
        return [m for rcpt, m in inbox.messages if address in rcpt]


def test_nobody_misses_what_waits(new_page, inbox, server, unique_email):
    coach_email, client_email = unique_email("carla"), unique_email("jonas")
    client = new_page()
    sign_up(client, inbox, client_email, name="Jonas Berg")
    assert sign_in(client, client_email)
    browser_of_client = client.context
    client.close()  # her tab is closed: she is away

    coach = new_page()
    coach_with_two_factor(coach, inbox, coach_email)
    before = len(mails_to(inbox, client_email))
    engagement = start_engagement_with(coach, client_email, "Jonas Berg").rsplit("/", 1)[1]

    # Away, she gets one private mail: that something waits, not what or from whom.
    mail = inbox.wait_for(client_email, skipping=before)
    assert mail["Subject"] == "Something is waiting for you in Lotse"
    body = mail.get_content()
    assert "/home" in body and "/settings#notifications" in body
    assert "Carla" not in body and engagement not in body and "invit" not in body

    # She comes back: the badge, the tab title and the start page say what waits.
    client = browser_of_client.new_page()
    client.goto("/home")
    bell = client.locator("#notifications-button")
    expect(bell).to_have_accessible_name("Notifications: 1 unread", timeout=5_000)
    expect(client).to_have_title(re.compile(r"^\(1\) "))
    waiting = client.locator(".waiting-list")
    expect(waiting.get_by_text("Carla Coach invited you to a coaching")).to_be_visible()
    expect(waiting.get_by_role("link", name="Open")).to_have_attribute("href", f"/engagements/{engagement}")
    shoot(client, "notifications-home")
    bell.click()
    panel = client.get_by_role("region", name="Notifications")
    expect(panel.get_by_role("link", name=re.compile("Carla Coach invited you"))).to_be_visible()
    expect(panel.get_by_role("button", name="Also notify me in this browser")).to_be_visible()
    shoot(client, "notifications-panel")

    # With her tab open, the next step shows within a second of the coach's click.
    open_section(coach, "Propose an agreement")
    agreement = coach.get_by_role("form", name="Propose an agreement")
    agreement.get_by_label("Sessions").fill("5")
    agreement.get_by_label("What the work covers").fill("Five sessions on the first 100 days")
    with coach.expect_response(lambda r: r.url.endswith("/agreement") and r.request.method == "PUT") as answer:
        agreement.get_by_role("button", name="Propose an agreement").click()
    assert answer.value.ok
    expect(bell).to_have_accessible_name("Notifications: 2 unread", timeout=1_000)
    expect(panel.get_by_role("link", name=re.compile("Carla Coach proposed an agreement"))).to_be_visible(timeout=1_000)
    assert len(mails_to(inbox, client_email)) == before + 1  # she is here: no mail

    # Opening it leads to the engagement, where everything about it counts as seen.
    panel.get_by_role("link", name=re.compile("Carla Coach proposed an agreement")).click()
    expect(client.get_by_role("heading", name="Engagement with Carla Coach")).to_be_visible(timeout=15_000)
    expect(client.locator("#notifications-badge")).to_be_hidden(timeout=5_000)
    expect(client).not_to_have_title(re.compile(r"^\("))

    # The mail settings: a switch per topic, saved with a note where she looks.
    client.goto("/settings#notifications")
    settings = client.get_by_role("region", name="Mails about what waits for you")
    expect(settings).to_be_in_viewport(timeout=10_000)
    settings.get_by_label("New messages").uncheck()
    settings.get_by_role("button", name="Save mail choices").click()
    expect(client.get_by_text("Your mail choices are saved.")).to_be_visible()
    shoot(client, "notifications-settings")
    client.reload()
    expect(client.get_by_role("region", name="Mails about what waits for you").get_by_label("New messages")).not_to_be_checked()

    # The coach works elsewhere in a background tab; the client enters the video room: a toast with "Let in", a
    # sound, and the browser's note.
    coach.add_init_script(BACKGROUND_TAB)
    coach.goto("/calendar")
    expect(coach.get_by_role("heading", name="Calendar", exact=True)).to_be_visible(timeout=15_000)
    time.sleep(0.5)  # the socket says hello
    client.goto(f"/call/{engagement}")
    enter_call(client)
    expect(client.get_by_text("You are in the waiting room. Carla Coach will let you in.")).to_be_visible(timeout=15_000)
    toast = coach.locator(".toast", has_text="Jonas Berg is waiting in the video call")
    expect(toast).to_be_visible(timeout=5_000)
    assert coach.evaluate("window.shownNotes") == ["Jonas Berg is waiting in the video call"]
    assert coach.evaluate("window.tones") >= 2
    shoot(coach, "notifications-waiting-toast")
    toast.get_by_role("button", name="Let in").click()
    expect(coach).to_have_url(re.compile(f"/call/{engagement}$"))
    enter_call(coach)
    lobby = coach.get_by_role("region", name="Waiting to be let in")
    lobby.get_by_role("button", name="Let Jonas Berg in").click()
    expect(client.get_by_text("You are in the waiting room.", exact=False)).to_have_count(0, timeout=15_000)
    # Letting her in settled it: nothing about the waiting room is left unread.
    coach.goto("/home")
    expect(coach.locator(".waiting-list").get_by_text("is waiting in the video call")).to_have_count(0)
