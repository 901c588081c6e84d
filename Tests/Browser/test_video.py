"""Video sessions in real browsers with fake cameras: the client waits until the coach lets her in, both see each
other's moving picture, and each checks that the DTLS certificate it met is the one the other signed (showing the
same safety code). A browser that meets another certificate refuses the call; a forged signal is ignored; a call
through a real coturn relay works with relay-only ICE and survives the server restarting. Three people in a group
room form a mesh; a client joins from her booking with one click."""
import datetime
import re
import sys
import tempfile
from pathlib import Path
from zoneinfo import ZoneInfo

from playwright.sync_api import expect

from helpers import coach_with_two_factor, enter_call, shoot, sign_in, sign_up, start_engagement_with

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from Server.test_turn import SECRET, start_coturn  # noqa: E402
from conftest import OUTPUT, free_port, launch_server  # noqa: E402

CONNECTED = "Connected, end-to-end encrypted"

# A browser whose getStats() reports a different certificate than DTLS used: what someone in between would present.
SWAPPED_CERTIFICATE = """
const original = RTCPeerConnection.prototype.getStats;
RTCPeerConnection.prototype.getStats = async function (...args) {
  const report = await original.apply(this, args);
  const changed = new Map();
  for (const [id, entry] of report) {
    // Another first byte: '00', or 'FF' where it already was '00' (1 certificate in 256 — a CI run met one).
    const other = entry.type === 'certificate' && (entry.fingerprint.startsWith('00') ? 'FF' : '00') + entry.fingerprint.slice(2);
    changed.set(id, other ? { ...entry, fingerprint: other } : entry);
  }
  return changed;
};
"""

# A computer without a camera: Chromium answers a request for video with NotFoundError, sound alone works.
NO_CAMERA = """
const original = MediaDevices.prototype.getUserMedia;
MediaDevices.prototype.getUserMedia = function (constraints) {
  if (constraints && constraints.video) return Promise.reject(new DOMException('Requested device not found', 'NotFoundError'));
  return original.call(this, constraints);
};
"""


def start_engagement(coach, client, inbox, coach_email, client_email):
    """Carla (coach) and Sam (client) with an engagement; answers its ID."""
    sign_up(client, inbox, client_email, name="Sam Client")
    assert sign_in(client, client_email)
    coach_with_two_factor(coach, inbox, coach_email)
    return start_engagement_with(coach, client_email, "Sam Client").rsplit("/", 1)[1]


def let_in(coach, client, engagement, not_at_first=False):
    """The client enters the waiting room; the coach opens the call from the workspace and lets her in (or first
    says "Not now", and the client asks again)."""
    waiting = client.get_by_text("You are in the waiting room. Carla Coach will let you in.")
    client.goto(f"/call/{engagement}")
    enter_call(client)
    expect(waiting).to_be_visible(timeout=15_000)
    coach.goto(f"/engagements/{engagement}")
    coach.get_by_role("link", name="Open the video room").click()
    enter_call(coach)
    lobby = coach.get_by_role("region", name="Waiting to be let in")
    expect(lobby.get_by_text("Sam Client", exact=True)).to_be_visible(timeout=15_000)
    if not_at_first:
        lobby.get_by_role("button", name="Not now").click()
        expect(client.get_by_text("Carla Coach has not let you in at the moment", exact=False)).to_be_visible()
        expect(lobby).to_have_count(0)
        client.get_by_role("button", name="Ask to be let in again").click()
        expect(waiting).to_be_visible()
        expect(lobby.get_by_text("Sam Client", exact=True)).to_be_visible()
    lobby.get_by_role("button", name="Let Sam Client in").click()
    expect(lobby).to_have_count(0)


def remote_frames(page):
    """How many frames the other person's video has shown so far."""
    return page.evaluate(
        "() => { const v = document.querySelector('video.remote');"
        " return v && v.videoWidth > 0 ? v.getVideoPlaybackQuality().totalVideoFrames : 0; }")


def expect_moving_picture(page):
    """The remote video plays: it has a size and its frame count keeps growing."""
    page.wait_for_function(
        "() => { const v = document.querySelector('video.remote');"
        " return v && v.videoWidth > 0 && v.getVideoPlaybackQuality().totalVideoFrames > 5; }", timeout=30_000)
    before = remote_frames(page)
    page.wait_for_function(
        f"() => document.querySelector('video.remote').getVideoPlaybackQuality().totalVideoFrames > {before + 5}",
        timeout=15_000)


def safety_code(page):
    text = page.locator(".safety-code").inner_text(timeout=15_000)
    match = re.fullmatch(r"Safety code (\d{3} \d{3})", text)
    assert match, text
    return match.group(1)


def test_the_coach_lets_the_client_in_and_both_verify_the_connection(new_page, inbox, unique_email):
    coach, client = new_page(), new_page()
    engagement = start_engagement(coach, client, inbox, unique_email("carla"), unique_email("sam"))
    let_in(coach, client, engagement, not_at_first=True)

    for page, other in [(coach, "Sam Client"), (client, "Carla Coach")]:
        tile = page.locator("figure.tile", has=page.locator("video.remote"))
        expect(tile.get_by_text(other, exact=True)).to_be_visible(timeout=30_000)
        expect(tile.get_by_text(CONNECTED)).to_be_visible(timeout=30_000)
        expect(tile.get_by_text("Direct connection")).to_be_visible()
        expect_moving_picture(page)
    assert safety_code(coach) == safety_code(client)

    # Chat in the call goes straight between the browsers, named by who signed the connection.
    chat = client.get_by_role("region", name="Chat in the call")
    chat.get_by_label("Message to everyone in the call").fill("Hello from Sam")
    chat.get_by_role("button", name="Send").click()
    expect(chat.get_by_text("You: Hello from Sam")).to_be_visible()
    expect(coach.get_by_role("region", name="Chat in the call").get_by_text("Sam Client: Hello from Sam")).to_be_visible()

    # The coach shows her screen instead of her camera, and back. (Chromium's fake screen looks like its fake camera,
    # so what is checked is the notice on the other side and that the picture keeps coming.)
    coach.get_by_role("button", name="Share screen").click()
    expect(client.get_by_text("Carla Coach is sharing the screen")).to_be_visible()
    coach.wait_for_function("() => document.querySelector('video.own').classList.contains('screen')")
    expect_moving_picture(client)
    coach.get_by_role("button", name="Stop sharing").click()
    expect(client.get_by_text("Carla Coach is sharing the screen")).to_have_count(0)
    expect_moving_picture(client)

    # Microphone and camera switch off and on again.
    client.get_by_role("button", name="Mute microphone").click()
    expect(client.get_by_role("button", name="Unmute microphone")).to_be_visible()
    assert client.evaluate("() => document.querySelector('video.own').srcObject.getAudioTracks()[0].enabled") is False
    # The coach sees it, instead of talking to someone who cannot answer; the client sees her own state too.
    expect(coach.locator("figure.tile", has=coach.locator("video.remote")).get_by_text("Microphone off")).to_be_visible(
        timeout=10_000)
    expect(client.locator(".own-tile").get_by_text("Microphone off")).to_be_visible()
    assert coach.evaluate("document.querySelector('video.own').paused") is False, "one's own picture keeps running"
    shoot(coach, "call-pair-muted")
    client.get_by_role("button", name="Turn camera off").click()
    client.get_by_role("button", name="Turn camera on").click()
    expect(client.get_by_role("button", name="Turn camera off")).to_be_visible()

    # A signal the client's browser did not seal (here: sent from the client's account with a made-up signature)
    # is ignored by the coach's browser, and said so; the call goes on.
    client.evaluate(
        """async (engagement) => {
          const room = await (await fetch(`/api/v1/engagements/${engagement}/call`)).json();
          const me = room.peers.find((peer) => peer.id === sessionStorage.getItem(`lotse.call.${engagement}`));
          const coach = room.peers.find((peer) => peer.user !== me.user);
          const socket = new WebSocket(`ws://${location.host}/api/v1/socket`);
          await new Promise((resolve) => socket.addEventListener('message', resolve, { once: true }));
          const bytes = (n) => btoa(String.fromCharCode(...crypto.getRandomValues(new Uint8Array(n))));
          socket.send(JSON.stringify({ type: 'signal', signal: { id: crypto.randomUUID(), engagement, from: me.id,
            to: coach.id, epoch: 1, ciphertext: bytes(120), signature: bytes(64) } }));
          await new Promise((resolve) => setTimeout(resolve, 300));
          socket.close();
        }""", engagement)
    expect(coach.get_by_text("1 call message(s) could not be verified and were ignored.")).to_be_visible()
    expect(coach.get_by_text(CONNECTED)).to_be_visible()

    # Leaving ends the connection on both sides.
    client.get_by_role("button", name="Leave the session").click()
    expect(client.get_by_role("heading", name="Engagement with Carla Coach")).to_be_visible()
    expect(coach.get_by_text("You are in the session. The others will appear here when they join.")).to_be_visible(
        timeout=15_000)
    expect(coach.locator("video.remote")).to_have_count(0)


def test_a_browser_that_meets_another_certificate_ends_the_call(new_page, inbox, unique_email):
    coach, client = new_page(), new_page()
    client.add_init_script(SWAPPED_CERTIFICATE)
    engagement = start_engagement(coach, client, inbox, unique_email("carla"), unique_email("sam"))
    let_in(coach, client, engagement)
    tile = client.locator("figure.tile", has=client.locator("video.remote"))
    expect(tile.get_by_text("Not verified")).to_be_visible(timeout=30_000)
    expect(tile.get_by_text("The connection does not lead to the device Carla Coach announced.", exact=False)) \
        .to_be_visible()
    expect(client.locator(".safety-code")).to_have_count(0)
    expect(client.get_by_text(CONNECTED)).to_have_count(0)


def test_a_call_through_the_turn_relay_survives_a_server_restart(new_page, inbox, unique_email):
    turn_port = free_port()
    coturn, coturn_log = start_coturn(turn_port)
    port = free_port()
    data = tempfile.mkdtemp(prefix="lotse-video-")
    relay = dict(LOTSE_TURN_URLS=f"turn:127.0.0.1:{turn_port}?transport=udp", LOTSE_TURN_SECRET=SECRET,
                 LOTSE_TURN_RELAY_ONLY="true")
    server = launch_server(inbox, data=data, port=port, **relay)
    pages = []
    try:
        coach, client = new_page(base_url=server.url), new_page(base_url=server.url)
        pages += [coach, client]
        engagement = start_engagement(coach, client, inbox, unique_email("carla"), unique_email("sam"))
        let_in(coach, client, engagement)
        for page in (coach, client):
            expect(page.get_by_text(CONNECTED)).to_be_visible(timeout=30_000)
            expect(page.get_by_text("Through the relay server (it sees only encrypted data)")).to_be_visible()
            expect_moving_picture(page)

        # The server goes away and comes back (a deploy, a crash): the sockets reconnect, the room is as it was —
        # the client is not sent back to the waiting room — and the picture never stopped.
        server.stop()
        expect(client.get_by_text("The connection to Lotse is interrupted. Trying again…")).to_be_visible(
            timeout=15_000)
        frames = remote_frames(client)
        server = launch_server(inbox, data=data, port=port, **relay)
        expect(client.get_by_text("The connection to Lotse is interrupted.", exact=False)).to_have_count(
            0, timeout=40_000)
        expect(client.get_by_text("You are in the waiting room.", exact=False)).to_have_count(0)
        assert remote_frames(client) > frames
        expect(coach.get_by_role("region", name="Waiting to be let in")).to_have_count(0)
        expect(client.get_by_text(CONNECTED)).to_be_visible()
    finally:
        # The browsers go before their server: afterwards, their sockets' tries to reconnect would be console errors.
        for page in pages:
            page.screenshot(path=str(OUTPUT / f"turn-restart-{pages.index(page)}.png"), full_page=True)
            page.context.close()
        server.stop()
        coturn.terminate()
        coturn.wait(timeout=10)
        coturn_log.close()


def test_without_camera_permission_one_is_told_how_to_allow_it_and_still_sees_the_others(
        browser, server, new_page, inbox, unique_email):
    # A browser that does not grant camera and microphone by itself (as when someone clicks "Block"). Without that
    # grant Chromium names its own addresses only by mDNS, which nothing resolves where only loopback exists; real
    # networks connect through the other side's address or the relay.
    strict = browser.browser_type.launch(
        executable_path="/usr/bin/chromium",
        args=["--no-sandbox", "--use-fake-device-for-media-stream", "--allow-loopback-in-peer-connection",
              "--disable-features=WebRtcHideLocalIpsWithMdns"])
    try:
        context = strict.new_context(locale="en-US", base_url=server.url, viewport={"width": 1200, "height": 900})
        client, coach = context.new_page(), new_page()
        engagement = start_engagement(coach, client, inbox, unique_email("carla"), unique_email("sam"))
        let_in(coach, client, engagement)
        expect(client.get_by_text("Lotse may not use your camera and microphone.", exact=False)).to_be_visible()
        expect(client.get_by_role("button", name="No microphone")).to_be_disabled()
        expect(client.get_by_role("button", name="No camera")).to_be_disabled()
        expect(client.get_by_text(CONNECTED)).to_be_visible(timeout=30_000)
        expect_moving_picture(client)  # the coach's picture arrives all the same
        expect(coach.get_by_text(CONNECTED)).to_be_visible()
        client.wait_for_timeout(1_000)
        assert remote_frames(coach) == 0  # nothing comes from the client's side
    finally:
        strict.close()


def test_without_a_camera_one_takes_part_by_microphone_and_still_shares_the_screen(new_page, inbox, unique_email):
    coach, client = new_page(), new_page()
    client.add_init_script(NO_CAMERA)
    engagement = start_engagement(coach, client, inbox, unique_email("carla"), unique_email("sam"))
    let_in(coach, client, engagement)
    expect(client.get_by_text("No camera was found: you take part with your microphone only.")).to_be_visible()
    expect(client.get_by_role("link", name="Trouble with camera or sound? Do the tech check.")).to_be_visible()
    expect(client.get_by_role("button", name="No camera")).to_be_disabled()
    expect(client.get_by_text(CONNECTED)).to_be_visible(timeout=30_000)
    expect_moving_picture(client)
    assert coach.evaluate(
        "() => document.querySelector('video.remote').srcObject.getAudioTracks().length") == 1
    client.wait_for_timeout(1_000)
    assert remote_frames(coach) == 0

    # The place of the picture was kept: the screen takes it without a new negotiation.
    client.get_by_role("button", name="Share screen").click()
    expect(coach.get_by_text("Sam Client is sharing the screen")).to_be_visible()
    expect_moving_picture(coach)
    client.get_by_role("button", name="Stop sharing").click()
    expect(coach.get_by_text("Sam Client is sharing the screen")).to_have_count(0)
    expect(coach.get_by_text(CONNECTED)).to_be_visible()


def test_three_people_in_a_group_room_each_see_and_verify_the_two_others(new_page, inbox, unique_email):
    coach_email, anna_email, ben_email = unique_email("carla"), unique_email("anna"), unique_email("ben")
    members = {}
    for email, name in [(anna_email, "Anna Adler"), (ben_email, "Ben Brandt")]:
        page = new_page()
        sign_up(page, inbox, email, name=name)
        assert sign_in(page, email)
        members[name] = page
    coach = new_page()
    coach_with_two_factor(coach, inbox, coach_email)
    coach.goto("/engagements")
    coach.get_by_label("Their email addresses").fill(f"{anna_email}, {ben_email}")
    coach.get_by_role("button", name="Start the engagement").click()
    expect(coach.get_by_role("heading", name="Engagement with Anna Adler, Ben Brandt")).to_be_visible(timeout=15_000)
    engagement = coach.url.rsplit("/", 1)[1]

    for page in members.values():
        page.goto(f"/call/{engagement}")
        enter_call(page)
        expect(page.get_by_text("You are in the waiting room. Carla Coach will let you in.")).to_be_visible(
            timeout=15_000)
    coach.get_by_role("link", name="Open the video room").click()
    enter_call(coach)
    lobby = coach.get_by_role("region", name="Waiting to be let in")
    for name in members:
        expect(lobby.get_by_text(name, exact=True)).to_be_visible(timeout=15_000)
        lobby.get_by_role("button", name=f"Let {name} in").click()
    expect(lobby).to_have_count(0)

    # A mesh: every tab connects to the two others, checks each one's certificate, and shows both pictures.
    people = {"Carla Coach": coach, **members}
    codes = {}
    for me, page in people.items():
        for other in people:
            if other == me:
                continue
            tile = page.locator("figure.tile", has=page.locator("video.remote")).filter(
                has=page.get_by_text(other, exact=True))
            expect(tile.get_by_text(CONNECTED)).to_be_visible(timeout=30_000)
            text = tile.locator(".safety-code").inner_text()
            codes[frozenset((me, other)), me] = text
        page.wait_for_function(
            "() => { const videos = [...document.querySelectorAll('video.remote')];"
            " return videos.length === 2 && videos.every((v) => v.videoWidth > 0"
            " && v.getVideoPlaybackQuality().totalVideoFrames > 5); }", timeout=30_000)
    # Each pair sees the same code at both ends, and each pair a different one.
    pairs = {pair for pair, _ in codes}
    assert len(pairs) == 3
    for pair in pairs:
        first, second = sorted(pair)
        assert codes[pair, first] == codes[pair, second]
    assert len({codes[pair, min(pair)] for pair in pairs}) == 3

    # One leaves; the two others stay connected.
    members["Ben Brandt"].get_by_role("button", name="Leave the session").click()
    for page in (coach, members["Anna Adler"]):
        expect(page.locator("video.remote")).to_have_count(1, timeout=15_000)
        expect(page.get_by_text(CONNECTED)).to_be_visible()


def test_the_client_joins_from_the_booking_through_the_pre_join_screen(new_page, inbox, unique_email):
    coach, client = new_page(timezone_id="Europe/Berlin"), new_page(timezone_id="Europe/Berlin")
    engagement = start_engagement(coach, client, inbox, unique_email("carla"), unique_email("sam"))
    coach.goto("/availability")
    coach.locator("summary", has_text="Add a session type").click()
    types = coach.get_by_role("form", name="Add a session type")
    types.get_by_label("Name, e.g. Coaching session").fill("Coaching session")
    types.get_by_role("button", name="Add a session type").click()
    expect(coach.get_by_text("Coaching session · 60 min · Online")).to_be_visible()

    # The coach puts a session in the calendar that starts in a few minutes (on a five-minute mark, as sessions do).
    coach.goto(f"/engagements/{engagement}")
    coach.locator("summary", has_text="Put a session in the calendar").click()
    planned = coach.get_by_role("form", name="Put a session in the calendar")
    soon = datetime.datetime.now(ZoneInfo("Europe/Berlin")).replace(second=0, microsecond=0)
    soon += datetime.timedelta(minutes=5 - soon.minute % 5)
    start = planned.get_by_label(re.compile(r"^Start \(your time"))
    start.fill((soon + datetime.timedelta(minutes=2)).strftime("%Y-%m-%dT%H:%M"))  # off the mark: said before sending
    planned.get_by_role("button", name="Put it in the calendar").click()
    expect(planned.get_by_text("Choose a time on a five-minute mark, such as 10:05.")).to_be_visible()
    start.fill(soon.strftime("%Y-%m-%dT%H:%M"))
    planned.get_by_role("button", name="Put it in the calendar").click()
    expect(coach.get_by_text("The session is in the calendar", exact=False)).to_be_visible(timeout=15_000)

    # The client's calendar has the button; one click leads to the pre-join screen, the next into the waiting room.
    client.goto("/calendar")
    client.get_by_role("link", name="Join the video session").first.click()
    expect(client.get_by_role("button", name="Enter the waiting room")).to_be_visible(timeout=15_000)
    expect(client.get_by_label("Camera", exact=True)).to_be_visible()
    expect(client.get_by_label("Microphone", exact=True)).to_be_visible()
    # The level moves with the (fake) microphone's beeps.
    client.wait_for_function("() => document.querySelector('.prejoin meter').value > 0", timeout=10_000)
    client.get_by_role("button", name="Turn camera off").click()  # before anyone sees her
    expect(client.get_by_text("Your camera is off")).to_be_visible()
    shoot(client, "prejoin-client")
    enter_call(client)
    expect(client.get_by_text("You are in the waiting room. Carla Coach will let you in.")).to_be_visible(
        timeout=15_000)
    assert client.url.endswith(f"/call/{engagement}")
    coach.get_by_role("link", name="Join the video session").click()
    enter_call(coach)
    coach.get_by_role("region", name="Waiting to be let in").get_by_role("button", name="Let Sam Client in").click()
    for page in (coach, client):
        expect(page.get_by_text(CONNECTED)).to_be_visible(timeout=30_000)
    expect_moving_picture(client)
    # She joined with her camera off: it stays off, and the coach is told.
    expect(client.get_by_role("button", name="Turn camera on")).to_be_visible()
    expect(coach.locator("figure.tile", has=coach.locator("video.remote")).get_by_text("Camera off")).to_be_visible(
        timeout=10_000)
    client.get_by_role("button", name="Turn camera on").click()
    expect_moving_picture(coach)
