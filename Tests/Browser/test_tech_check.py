"""The tech check in Chromium with fake camera and microphone: each part checked for real (frames from the camera,
sound from the microphone, a test call through a real coturn), the result saved, and the coach seeing it."""

import json
import re
import sys
from pathlib import Path

from playwright.sync_api import expect

from helpers import assert_fits_a_phone, enter_call, sign_in, sign_up
from test_video import start_engagement

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from Server.test_turn import SECRET, start_coturn  # noqa: E402
from conftest import free_port, launch_server  # noqa: E402


def step(page, part):
    return page.locator(f"li.tech-step[data-part={part}]")


def saved_check(page):
    """The check the server keeps for the signed-in person."""
    return json.loads(page.evaluate(
        "async () => JSON.stringify(await (await fetch('/api/v1/video/tech-check')).json())"))


def test_a_client_passes_the_check_through_the_relay_and_the_coach_sees_it(new_page, inbox, unique_email):
    turn_port = free_port()
    coturn, coturn_log = start_coturn(turn_port)
    server = launch_server(inbox, LOTSE_TURN_URLS=f"turn:127.0.0.1:{turn_port}?transport=udp",
                           LOTSE_TURN_SECRET=SECRET)
    try:
        coach, client = new_page(base_url=server.url), new_page(base_url=server.url)
        engagement = start_engagement(coach, client, inbox, unique_email("carla"), unique_email("sam"))
        sessions = coach.locator(".sessions-card")
        expect(sessions.get_by_text("Sam Client has not done the tech check yet.")).to_be_visible(timeout=15_000)

        # The client finds the check from her workspace.
        client.goto(f"/engagements/{engagement}")
        expect(client.get_by_text("You have not done the tech check yet.")).to_be_visible(timeout=15_000)
        client.get_by_role("link", name="Do the tech check").click()
        expect(client.get_by_role("heading", name="Tech check", exact=True)).to_be_visible()
        for part in ("camera", "microphone", "speaker", "connection"):
            expect(step(client, part).locator(".tech-status")).to_have_text("not checked yet")

        client.get_by_role("button", name="Start the check").click()
        expect(client.get_by_role("button", name="Check again")).to_be_disabled()
        # The camera's picture moves: its own preview shows frames.
        expect(step(client, "camera").locator(".tech-status")).to_have_text("works", timeout=15_000)
        assert client.evaluate(
            "() => document.querySelector('li[data-part=camera] video').getVideoPlaybackQuality().totalVideoFrames") > 2
        expect(step(client, "camera").get_by_text("Your camera gives a picture.")).to_be_visible()
        # Chromium's fake microphone beeps; the meter moves and the part passes.
        expect(step(client, "microphone").locator(".tech-status")).to_have_text("works", timeout=20_000)
        # The test call went through coturn: both ends could use only relayed addresses.
        connection = step(client, "connection")
        expect(connection.locator(".tech-status")).to_have_text("works", timeout=25_000)
        expect(connection.get_by_text(re.compile(
            r"The test call got through the platform's relay server \(round trip \d+ ms\)"))).to_be_visible()

        # The speakers are the person's to judge: the tone plays, she says she heard it.
        expect(client.get_by_text("Everything works.", exact=False)).to_have_count(0)
        speaker = step(client, "speaker")
        speaker.get_by_role("button", name="Play the test sound").click()
        speaker.get_by_role("button", name="I heard it").click()
        expect(speaker.locator(".tech-status")).to_have_text("works")
        expect(client.get_by_text(re.compile(r"You passed the tech check on \w+ \d{1,2}, \d{4}\."))).to_be_visible()
        expect(client.get_by_text("Your coach sees this result before your first session.")).to_be_visible()
        expect(client.get_by_role("button", name="Check again")).to_be_enabled()

        check = saved_check(client)
        assert check["passed"] is True
        assert check["report"]["route"] == "relay"
        assert 0 <= check["report"]["roundTripMilliseconds"] < 5_000
        # The camera and microphone are let go once the check is done and the page is left.
        client.goto(f"/engagements/{engagement}")
        expect(client.get_by_text(re.compile(r"You passed the tech check on"))).to_be_visible(timeout=15_000)

        coach.reload()
        expect(coach.locator(".sessions-card").get_by_text(
            re.compile(r"Sam Client passed the tech check on \w+ \d{1,2}, \d{4}\."))).to_be_visible(timeout=15_000)
        # And again in the waiting room, when she lets the client in.
        client.goto(f"/call/{engagement}")
        enter_call(client)
        expect(client.get_by_text("You are in the waiting room.", exact=False)).to_be_visible(timeout=15_000)
        coach.get_by_role("link", name="Open the video room").click()
        enter_call(coach)
        lobby = coach.get_by_role("region", name="Waiting to be let in")
        expect(lobby.get_by_text(re.compile(r"Sam Client passed the tech check on"))).to_be_visible(timeout=15_000)
    finally:
        server.stop()
        coturn.terminate()
        coturn.wait(timeout=10)
        coturn_log.close()


def test_without_permission_the_check_says_how_to_allow_it_and_the_coach_sees_what_failed(
        browser, new_page, inbox, unique_email):
    # A browser that does not grant camera and microphone by itself (as when someone clicks "Block"); see test_video.
    # Without that grant Chromium offers none of its own addresses where only loopback exists, so the test call takes
    # the relay, as it would from behind a strict NAT.
    turn_port = free_port()
    coturn, coturn_log = start_coturn(turn_port)
    server = launch_server(inbox, LOTSE_TURN_URLS=f"turn:127.0.0.1:{turn_port}?transport=udp",
                           LOTSE_TURN_SECRET=SECRET)
    strict = browser.browser_type.launch(
        executable_path="/usr/bin/chromium",
        args=["--no-sandbox", "--use-fake-device-for-media-stream", "--allow-loopback-in-peer-connection"])
    try:
        context = strict.new_context(locale="en-US", base_url=server.url, viewport={"width": 1200, "height": 900})
        client, coach = context.new_page(), new_page(base_url=server.url)
        engagement = start_engagement(coach, client, inbox, unique_email("carla"), unique_email("sam"))
        client.get_by_role("button", name="DE").click()  # and in German, as she reads it
        client.goto("/tech-check")
        client.get_by_role("button", name="Check starten").click()
        for part in ("camera", "microphone"):
            expect(step(client, part).locator(".tech-status")).to_have_text("nicht erlaubt", timeout=15_000)
        expect(step(client, "camera").get_by_text(
            "Lotse darf Ihre Kamera nicht nutzen. Erlauben Sie Kamera und Mikrofon für diese Seite", exact=False)
        ).to_be_visible()
        expect(step(client, "microphone").get_by_role("meter")).to_have_count(0)
        expect(step(client, "connection").get_by_text(
            "Der Testanruf ist über den Relay-Server der Plattform durchgekommen", exact=False)).to_be_visible(
            timeout=25_000)
        step(client, "speaker").get_by_role("button", name="Ich habe nichts gehört").click()
        expect(client.get_by_text("Ihr Technik-Check am", exact=False)).to_contain_text(
            "Probleme gefunden: Kamera: nicht erlaubt; Mikrofon: nicht erlaubt; Lautsprecher: funktioniert nicht.")
        check = saved_check(client)
        assert check["passed"] is False
        assert [check["report"][part] for part in ("camera", "microphone", "speaker", "connection", "route")] == [
            "denied", "denied", "failed", "passed", "relay"]

        coach.goto(f"/engagements/{engagement}")
        expect(coach.locator(".sessions-card").get_by_text(re.compile(
            r"Sam Client's tech check on \w+ \d{1,2}, \d{4} found problems: Camera: not allowed; "
            r"Microphone: not allowed; Speakers: does not work\."))).to_be_visible(timeout=15_000)
    finally:
        strict.close()
        server.stop()
        coturn.terminate()
        coturn.wait(timeout=10)
        coturn_log.close()


def test_without_a_relay_the_test_call_goes_directly_and_says_what_that_means(new_page, inbox, unique_email):
    page, email = new_page(), unique_email("sam")
    sign_up(page, inbox, email, name="Sam Client")
    assert sign_in(page, email)
    page.goto("/tech-check")
    page.get_by_role("button", name="Start the check").click()
    expect(step(page, "connection").get_by_text(re.compile(
        r"The test call got through directly \(round trip \d+ ms\)\. This platform has no relay server, so calls "
        r"from behind strict firewalls may not connect\."))).to_be_visible(timeout=25_000)
    step(page, "speaker").get_by_role("button", name="Skip").click()
    expect(step(page, "speaker").get_by_text("You skipped this.", exact=False)).to_be_visible()
    expect(page.get_by_text(re.compile(r"Your tech check on .+ found problems: Speakers: skipped\."))).to_be_visible(
        timeout=20_000)
    check = saved_check(page)
    assert (check["passed"], check["report"]["route"], check["report"]["speaker"]) == (False, "direct", "skipped")

    # On a phone, checking: every control labelled, nothing scrolls sideways.
    page.set_viewport_size({"width": 360, "height": 740})
    page.get_by_role("button", name="Check again").click()
    expect(step(page, "camera").locator(".tech-status")).to_have_text("works", timeout=15_000)
    assert_fits_a_phone(page, "/tech-check")
