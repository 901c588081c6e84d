"""The export of one's data (docs/privacy.md, "Export"): made in the browser from ciphertext, page by page, into an
HTML document and a ZIP with JSON and the attachments; a long history does not pile up in the tab's memory."""
import hashlib
import io
import json
import re
import time
import uuid
import zipfile
from pathlib import Path

import jsonschema
from playwright.sync_api import expect

from helpers import Wire, coach_with_two_factor, shoot, sign_in, sign_up, start_engagement_with

ROOT = Path(__file__).resolve().parents[2]
MESSAGES = 5_000

# Seals and sends `count` messages of about 2 KB from the signed-in account, eight at a time, with the app's own modules.
SEED = """async ({ count, first, last }) => {
  const { ConversationSession } = await import('/js/features/messaging/session.js');
  const { accountKeys } = await import('/js/features/messaging/keys.js');
  const { api } = await import('/js/core/api.js');
  const { account } = await import('/js/core/store.js');
  const [conversation] = await api('GET', '/conversations');
  const session = new ConversationSession(conversation, account().id, await accountKeys());
  await session.loadKeys();
  const filler = 'Wie geht es Ihnen mit der neuen Stelle? Ich schreibe das hier noch einmal ausführlich auf. '.repeat(22);
  const send = async (index) => {
    const text = index === 0 ? first : index === count - 1 ? last : `Nachricht ${index + 1}: ${filler}`;
    const id = crypto.randomUUID();
    const sealed = await session.seal({ kind: 'chat', text, attachments: [] }, id);
    try {
      await api('POST', `/conversations/${conversation.id}/messages`, { id, epoch: sealed.epoch, ciphertext: sealed.ciphertext, signature: sealed.signature });
    } catch (error) {
      throw new Error(`message ${index + 1}: ${error.status} ${error.code} ${error.message}`);
    }
  };
  // The first and the last alone, so they are the conversation's first and last whatever order the eight
  // senders in between finish in.
  await send(0);
  let next = 1;
  const worker = async () => {
    for (let index = next++; index < count - 1; index = next++) await send(index);
  };
  await Promise.all(Array.from({ length: 8 }, worker));
  await send(count - 1);
  return conversation.id;
}"""

# A message whose ciphertext is noise: stored like any other, but nobody can open it.
NOISE = """async () => {
  const { api } = await import('/js/core/api.js');
  const [conversation] = await api('GET', '/conversations');
  const noise = btoa(String.fromCharCode(...crypto.getRandomValues(new Uint8Array(64))));
  const signature = btoa(String.fromCharCode(...crypto.getRandomValues(new Uint8Array(64))));
  await api('POST', `/conversations/${conversation.id}/messages`, { id: crypto.randomUUID(), epoch: conversation.epoch, ciphertext: noise, signature });
}"""


def export_and_measure(page, shot):
    """Starts the export on the page and samples what the tab's JavaScript heap holds on to (after a garbage
    collection, so garbage not yet collected does not count) until it is ready; answers the most it held above what it
    held before, in bytes, and the progress texts seen."""
    cdp = page.context.new_cdp_session(page)
    cdp.send("Performance.enable")

    def heap():
        cdp.send("HeapProfiler.collectGarbage")
        metrics = cdp.send("Performance.getMetrics")["metrics"]
        return next(metric["value"] for metric in metrics if metric["name"] == "JSHeapUsedSize")

    before = heap()
    peak, progress = before, set()
    page.get_by_role("button", name=re.compile("Export starten|Start export")).click()
    ready = page.get_by_role("heading", name=re.compile("Ihr Export ist fertig|Your export is ready"))
    deadline = time.time() + 240
    shot_taken = False
    while time.time() < deadline and not ready.is_visible():
        peak = max(peak, heap())
        status = page.locator(".export-status").inner_text()
        progress.add(status)
        if not shot_taken and re.search(r"\d+ (von|of) \d+", status):
            shoot(page, shot)
            shot_taken = True
        time.sleep(0.1)
    expect(ready).to_be_visible()
    expect(ready).to_be_focused()
    return peak - before, progress


def test_a_client_exports_a_long_history_decrypted_on_her_device(new_page, inbox, server, unique_email, tmp_path):
    first, last = f"CANARY-first-{uuid.uuid4()}", f"CANARY-last-{uuid.uuid4()}"
    file_canary = f"CANARY-file-{uuid.uuid4()}".encode()
    client_email, coach_email = unique_email("clara"), unique_email("carla")

    client = new_page()
    sign_up(client, inbox, client_email, name="Clara Klientin")
    client.get_by_role("button", name="DE", exact=True).click()
    assert sign_in(client, client_email, language="de")
    coach = new_page()
    coach_with_two_factor(coach, inbox, coach_email)
    start_engagement_with(coach, client_email, "Clara Klientin")

    # Her history: 5,000 messages of 2 KB, a 20 MB attachment from the coach, a message nobody can open.
    client.goto("/conversations")
    client.evaluate(SEED, {"count": MESSAGES, "first": first, "last": last})
    big = tmp_path / "Arbeitsvertrag.pdf"
    big.write_bytes(file_canary + bytes(range(256)) * (20 * 1024 * 1024 // 256))
    coach.goto("/conversations")
    coach.get_by_role("link", name=re.compile("Clara Klientin")).click()
    coach.get_by_label("Attach files").set_input_files(str(big))
    coach.get_by_label("Write a message").fill("Hier der Vertrag.")
    coach.get_by_role("button", name="Send", exact=True).click()
    expect(coach.locator(".message.own .text", has_text="Hier der Vertrag.")).to_be_visible(timeout=60_000)
    coach.evaluate(NOISE)

    # She exports from her settings; the wire carries only ciphertext, and the export is in the audit log.
    wire = Wire(client)
    client.goto("/settings")
    client.get_by_role("link", name="Meine Daten exportieren").click()
    expect(client.get_by_role("heading", name="Ihre Daten exportieren")).to_be_visible()
    shoot(client, "export-start")
    heap_growth, progress = export_and_measure(client, "export-progress")
    assert any(re.fullmatch(r"Nachrichten werden entschlüsselt: [\d.]+ von 5\.00[12]", text) for text in progress), progress
    expect(client.get_by_text("Nachrichten: 5.002 · Gespräche: 1 · Anhänge: 1 · Begleitungen: 1")).to_be_visible()
    expect(client.get_by_text("Einträge, die sich nicht entschlüsseln ließen: 1.", exact=False)).to_be_visible()
    shoot(client, "export-ready")
    with client.expect_download() as html_download:
        client.get_by_role("button", name=re.compile("Dokument speichern")).click()
    with client.expect_download() as zip_download:
        client.get_by_role("button", name=re.compile("Daten speichern")).click()
    assert re.fullmatch(r"lotse-export-\d{4}-\d\d-\d\d\.html", html_download.value.suggested_filename)
    html = Path(html_download.value.path()).read_text()
    archive = zipfile.ZipFile(io.BytesIO(Path(zip_download.value.path()).read_bytes()))

    # The tab's heap grew by far less than what it wrote: pages were written out, not kept.
    written = len(html.encode())
    print(f"export: {MESSAGES} messages, HTML {written / 1e6:.1f} MB, ZIP {Path(zip_download.value.path()).stat().st_size / 1e6:.1f} MB, "
          f"JS heap growth at most {heap_growth / 1e6:.1f} MB")
    assert written > 10_000_000
    assert heap_growth < written / 2, (heap_growth, written)

    # The document: Art. 15(1) cover, every message in order, the attachment named, what could not be opened.
    assert "Art. 15 Abs. 1 DSGVO" in html and "Wer sonst Daten erhält" in html and "Auskunft und Kopie" in html
    assert "Praxis Berger Coaching" in html
    assert html.index(first) < html.index("Nachricht 2500:") < html.index(last)
    assert html.count('<li class="message') == MESSAGES + 2
    assert "Arbeitsvertrag.pdf" in html and "Was sich nicht entschlüsseln ließ" in html
    assert "Diese Nachricht konnte nicht geprüft werden" in html
    assert "Carla Coach" in html and coach_email not in html  # the coach by display name only

    # The ZIP: JSON matching its schema, the attachment byte for byte, what the server knows; no keys.
    names = archive.namelist()
    assert {"lotse-export.json", "server-knowledge.json", "lotse-export-1.schema.json", "README.txt"} <= set(names)
    data = json.loads(archive.read("lotse-export.json"))
    schema = json.loads((ROOT / "Public/schemas/lotse-export-1.schema.json").read_text())
    assert json.loads(archive.read("lotse-export-1.schema.json")) == schema
    jsonschema.validate(data, schema)
    messages = data["conversations"][0]["messages"]
    assert [message["seq"] for message in messages] == list(range(1, MESSAGES + 3))
    assert messages[0]["text"] == first and messages[0]["own"] and messages[0]["from"] == "Clara Klientin"
    assert sorted(member["displayName"] for member in data["conversations"][0]["members"]) == ["Carla Coach", "Clara Klientin"]
    letter = next(message for message in messages if message.get("text") == "Hier der Vertrag.")
    attached = letter["attachments"][0]
    assert attached["name"] == "Arbeitsvertrag.pdf" and attached["size"] == big.stat().st_size
    assert hashlib.sha256(archive.read(attached["file"])).digest() == hashlib.sha256(big.read_bytes()).digest()
    assert [item["what"] for item in data["undecryptable"]] == ["message"]
    assert data["undecryptable"][0]["reason"] == "messaging.unverifiable"
    assert not messages[-1]["opened"] and messages[-1]["reason"] == "messaging.unverifiable"
    assert json.loads(archive.read("server-knowledge.json"))["format"] == "lotse-server-knowledge-1"
    everything = html + archive.read("lotse-export.json").decode()
    assert "privateKey" not in everything and '"d":' not in everything and "wrappedKeys" not in everything

    # The canaries were decrypted here, and never crossed the wire in plaintext.
    assert wire.contains('"ciphertext"')
    for canary in (first.encode(), last.encode(), file_canary):
        assert not any(canary in chunk for chunk in wire.chunks)
    client.goto("/settings")
    expect(client.get_by_text("Daten auf einem Gerät exportiert (ganzes Konto)")).to_be_visible(timeout=10_000)


def test_a_coach_exports_one_engagement_for_her_records(new_page, inbox, server, unique_email):
    goal, scope = f"CANARY-goal-{uuid.uuid4()}", f"CANARY-scope-{uuid.uuid4()}"
    client_email, coach_email = unique_email("sam"), unique_email("carla")
    client = new_page()
    sign_up(client, inbox, client_email, name="Sam Client")
    assert sign_in(client, client_email)
    coach = new_page()
    coach_with_two_factor(coach, inbox, coach_email)
    workspace = start_engagement_with(coach, client_email, "Sam Client")
    coach.locator("summary", has_text="Propose an agreement").click()
    agreement = coach.get_by_role("form", name="Propose an agreement")
    agreement.get_by_label("Sessions").fill("3")
    agreement.get_by_label("What the work covers").fill(scope)
    agreement.get_by_role("button", name="Propose an agreement").click()
    expect(coach.get_by_text("Agreement proposed").first).to_be_visible()
    client.goto(workspace)
    client.get_by_role("button", name="Confirm this agreement").click()
    expect(coach.locator(".badge", has_text="Active")).to_be_visible(timeout=15_000)
    coach.locator("summary", has_text="Add a goal").click()
    goal_form = coach.get_by_role("form", name="Add a goal")
    goal_form.get_by_label("Title").fill(goal)
    goal_form.get_by_role("button", name="Add a goal").click()
    expect(coach.get_by_text(goal).first).to_be_visible()

    coach.goto(workspace)
    coach.get_by_role("link", name="Export for my records").click()
    expect(coach.get_by_role("heading", name="Export this engagement")).to_be_visible()
    export_and_measure(coach, "export-engagement-progress")
    expect(coach.get_by_text("Everything could be decrypted.")).to_be_visible()
    with coach.expect_download() as zip_download:
        coach.get_by_role("button", name=re.compile("Save data")).click()
    assert re.fullmatch(r"lotse-engagement-\d{4}-\d\d-\d\d\.zip", zip_download.value.suggested_filename)
    archive = zipfile.ZipFile(zip_download.value.path())
    data = json.loads(archive.read("lotse-export.json"))
    jsonschema.validate(data, json.loads((ROOT / "Public/schemas/lotse-export-1.schema.json").read_text()))
    assert data["scope"]["kind"] == "engagement" and len(data["engagements"]) == 1 and len(data["conversations"]) == 1
    engagement = data["engagements"][0]
    assert engagement["coach"] == "Carla Coach" and engagement["clients"] == ["Sam Client"]
    assert [item["content"]["title"] for item in engagement["items"] if item["kind"] == "goal"] == [goal]
    assert engagement["agreement"]["scope"]["text"] == scope and engagement["agreement"]["sessions"] == 3
    assert "server-knowledge.json" not in archive.namelist() and "directoryProfile" not in data
    with coach.expect_download() as html_download:
        coach.get_by_role("button", name=re.compile("Save document")).click()
    html = Path(html_download.value.path()).read_text()
    assert goal in html and scope in html and "Engagement: Carla Coach, Sam Client" in html
    document = new_page()
    document.set_content(html)
    expect(document.get_by_role("heading", name="Engagement: Carla Coach, Sam Client")).to_be_visible()
    shoot(document, "export-document")

    # In her settings the coach chooses how long ended engagements are kept: a year unless she chooses.
    coach.goto("/settings")
    period = coach.get_by_role("region", name="Keeping ended engagements")
    expect(period.get_by_label("Keep ended engagements for")).to_have_value("365", timeout=15_000)
    period.get_by_label("Keep ended engagements for").select_option(label="Another period …")
    expect(period.get_by_label("Days (30 to 3650)")).to_be_focused()
    period.get_by_label("Days (30 to 3650)").fill("14")
    period.get_by_role("button", name="Save period").click()
    expect(period.get_by_text("Please choose between 30 days and 3650 days (ten years).")).to_be_visible()
    period.get_by_label("Days (30 to 3650)").fill("45")
    period.get_by_role("button", name="Save period").click()
    expect(period.get_by_text("Saved: ended engagements are kept for 45 days.")).to_be_visible()
    shoot(coach, "settings-retention")
    coach.reload()
    expect(period.get_by_label("Days (30 to 3650)")).to_have_value("45", timeout=15_000)

    # The client does not get the coach's button; her own export is in Settings.
    client.goto(workspace)
    expect(client.get_by_role("link", name="All engagements")).to_be_visible(timeout=15_000)
    expect(client.get_by_role("link", name="Export for my records")).to_have_count(0)
    client.goto(f"{workspace}/export")
    expect(client.get_by_role("heading", name="Export this engagement")).to_be_visible()


def test_a_new_account_exports_nothing_but_itself(new_page, inbox, unique_email):
    email = unique_email("pia")
    page = new_page()
    sign_up(page, inbox, email, name="Pia Phone")
    assert sign_in(page, email)
    page.goto("/export")
    expect(page.get_by_role("button", name="Start export")).to_be_visible()
    page.get_by_role("button", name="Start export").click()
    expect(page.get_by_role("heading", name="Your export is ready")).to_be_visible(timeout=30_000)
    expect(page.get_by_text("Messages: 0 · Conversations: 0 · Attachments: 0 · Engagements: 0")).to_be_visible()
    shoot(page, "export-empty")
    with page.expect_download() as zip_download:
        page.get_by_role("button", name=re.compile("Save data")).click()
    data = json.loads(zipfile.ZipFile(zip_download.value.path()).read("lotse-export.json"))
    jsonschema.validate(data, json.loads((ROOT / "Public/schemas/lotse-export-1.schema.json").read_text()))
    assert data["account"]["email"] == email and data["conversations"] == [] and data["undecryptable"] == []
