"""axe-core (PyPI's axe-playwright-python carries it) on every page of the web client and the directory, signed out,
as a client and as a coach, in English and German: no violation of any impact. Each page is also checked for
sideways scrolling at 360 px."""
import re
import uuid

from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from helpers import assert_fits_a_phone, coach_with_two_factor, shoot, sign_in, sign_up

AXE = Axe()


def violations(page, where):
    """axe's findings on the page as it is now, one line each."""
    results = AXE.run(page)
    assert results.response["testEngine"]["name"] == "axe-core", results.response
    return [
        f"{where}: {v['id']} ({v['impact']}) {v['help']} — "
        + "; ".join(node["target"][0] if isinstance(node["target"][0], str) else str(node["target"]) for node in v["nodes"][:4])
        for v in results.response["violations"]
    ]


def visit(page, path, heading=None):
    page.goto(path)
    if heading:
        expect(page.get_by_role("heading", name=heading, exact=True).first).to_be_visible(timeout=15_000)
    else:
        expect(page.locator("h1")).to_be_visible(timeout=15_000)
    page.wait_for_timeout(300)  # live parts (lists, the bell) have drawn


def check(page, path, found, heading=None, phone=True):
    visit(page, path, heading)
    found += violations(page, path)
    if phone:
        before = page.viewport_size
        page.set_viewport_size({"width": 360, "height": 740})
        assert_fits_a_phone(page, path)
        page.set_viewport_size(before)


def test_every_page_passes_axe(new_page, inbox, server, unique_email):
    found = []
    guest = new_page()
    for path in ["/", "/login", "/signup", "/forgot-password", "/reset-password", "/verify-email", "/coaches?lang=en",
                 "/coaches?lang=de"]:
        check(guest, path, found)

    coach = new_page()
    coach_with_two_factor(coach, inbox, unique_email("carla"))
    slug = f"carla-{uuid.uuid4().hex[:8]}"
    coach.goto("/profile")
    coach.get_by_label("Address of your page").fill(slug)
    coach.get_by_label("Headline").fill("Coaching für neue Führungskräfte")
    coach.get_by_label("About you and how you work").fill("I accompany your first 100 days.")
    coach.get_by_label("Topics").fill("Führung, Onboarding")
    coach.get_by_label("German", exact=True).check()  # English, the interface's, is ticked already
    coach.get_by_label("Show my profile in the public directory").check()
    coach.get_by_role("button", name="Save the profile").click()
    expect(coach.get_by_text("Profile saved.")).to_be_visible()
    check(guest, f"/coaches/{slug}", found)
    guest.goto("/coaches?lang=de")
    expect(guest.locator(".directory-card").first).to_be_visible()
    shoot(guest, "directory-cards")

    client = new_page()
    client_email = unique_email("jonas")
    sign_up(client, inbox, client_email, name="Jonas Berg")
    assert sign_in(client, client_email)
    client.goto(f"/coaches/{slug}")
    client.get_by_role("link", name=re.compile("Send an inquiry|Anfrage senden")).click()
    expect(client.get_by_role("heading", name=re.compile("Inquiry to Carla Coach"))).to_be_visible(timeout=15_000)
    found += violations(client, "/inquire")
    client.get_by_label("What would you like to reach?").fill("A good start in the new job")
    client.get_by_role("button", name="Send the inquiry").click()
    expect(client.get_by_role("heading", name="Engagement with Carla Coach")).to_be_visible(timeout=15_000)
    workspace = client.url.replace(server.url, "")

    for path in ["/home", "/engagements", workspace, "/conversations", "/calendar", "/settings", "/tech-check",
                 "/unlock", workspace.replace("/engagements/", "/call/"), "/delete-account", "/keep-account#token=x",
                 "/export"]:
        check(client, path, found)
    client.get_by_role("button", name="Start export").click()
    expect(client.get_by_role("heading", name="Your export is ready")).to_be_visible(timeout=30_000)
    client.wait_for_timeout(300)  # the buttons' colour transitions have ended
    found += violations(client, "export ready")
    client.locator("#notifications-button").click()
    found += violations(client, "notifications panel")
    client.keyboard.press("Escape")

    for path in ["/home", "/engagements", workspace, "/conversations", "/calendar", "/availability", "/profile",
                 "/library", "/settings", workspace + "/export"]:
        check(coach, path, found)
    coach.locator("#notifications-button").click()
    found += violations(coach, "notifications panel (coach)")
    coach.keyboard.press("Escape")
    coach.get_by_role("button", name="DE", exact=True).click()
    for path in ["/home", workspace, "/settings", "/availability"]:
        check(coach, path, found, phone=False)
    coach.goto("/conversations")
    coach.get_by_role("link", name=re.compile("Jonas Berg")).first.click()
    expect(coach.get_by_role("textbox")).to_be_visible(timeout=15_000)
    found += violations(coach, "thread")

    assert found == [], "\n".join(found)
