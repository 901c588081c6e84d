"""The server-rendered pages (the public directory) keep hostile text as text: search words from a link and what a
coach writes into a profile are rendered into every page, and Python's own HTML tokenizer (an independent parser)
must find the same elements and attributes as for harmless text, with the hostile text intact as text or as an
attribute's value."""
import sys
import urllib.error
import urllib.parse
import urllib.request
from html.parser import HTMLParser
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from conftest import Inbox  # noqa: E402
from lotse_client import call, sign_up_coach  # noqa: E402

# Quotes of both kinds, markup, an entity that must not be decoded, NUL, an RTL override, a line separator.
HOSTILE = "x\"'><meta http-equiv=\"refresh\" content=\"0;url=https://evil.example/\">&amp;&lt;b&gt;\0\u202eevil\u2028"


LOCATION = "\"'><b>x</b> & Berlin"


class Page(HTMLParser):
    """Every start tag with its attributes, and all text, as a browser's tokenizer sees them."""

    def __init__(self, html):
        super().__init__(convert_charrefs=True)
        self.tags, self.text = [], []
        self.feed(html)
        self.close()

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)

    def handle_data(self, data):
        self.text.append(data)

    @property
    def shape(self):
        return [(tag, sorted(attrs)) for tag, attrs in self.tags]


def fetch(url):
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


def as_rendered(text):
    """What the page shows for text: NUL and other controls become U+FFFD, as a browser's parser makes of NUL."""
    return "".join("\ufffd" if ord(c) < 0x20 and c not in "\t\n\r" or 0x7F <= ord(c) <= 0x9F else c for c in text)


def search(server, words, topic):
    query = urllib.parse.urlencode({"q": words, "topic": topic, "lang": "de"})
    return fetch(f"{server.url}/coaches?{query}")


def test_search_words_from_a_link_stay_text(server):
    status, harmless = search(server, "career", "leadership")
    assert status == 200
    status, hostile = search(server, HOSTILE, HOSTILE)
    assert status == 200
    page = Page(hostile)
    assert page.shape == Page(harmless).shape, "hostile words changed the page's elements or attributes"
    assert not any(tag == "meta" and "http-equiv" in attrs for tag, attrs in page.tags)
    inputs = {attrs.get("name"): attrs.get("value") for tag, attrs in page.tags if tag == "input"}
    assert inputs["q"] == as_rendered(HOSTILE)
    assert inputs["topic"] == as_rendered(HOSTILE)
    # The language switch and the pager carry the words in their links, URL-encoded.
    other = [attrs["href"] for tag, attrs in page.tags if tag == "a" and attrs.get("lang") == "en"]
    assert other and "%22" in other[0] and '"' not in other[0]


def test_what_a_coach_writes_stays_text_on_every_page(server, inbox):
    email = "hostile.coach@example.org"
    token = sign_up_coach(server.url, email, lambda address: Inbox.link(inbox.wait_for(address)).split("#token=")[1],
                          display_name="Mara <b>\"Berg\"</b> & 'Co'")
    # Profiles refuse control characters and bidi overrides, so the stored text is the hostile text without them.
    stored = HOSTILE.replace("\0", "").replace("\u202e", "").replace("\u2028", "")
    refused = None
    try:
        call(server.url, "PUT", "/api/v1/directory/profile", token, profile(headline=HOSTILE))
    except urllib.error.HTTPError as error:
        refused = error.code
    assert refused == 400
    status, _ = call(server.url, "PUT", "/api/v1/directory/profile", token, profile(headline=stored))
    assert status in (200, 201)

    status, html = fetch(f"{server.url}/coaches/hostile-coach?lang=en")
    assert status == 200
    page = Page(html)
    status, harmless_html = fetch(f"{server.url}/coaches?lang=en&q=zzzz-nothing")
    assert not any(tag == "meta" and "http-equiv" in attrs for tag, attrs in page.tags)
    assert {tag for tag, _ in page.tags} <= {tag for tag, _ in Page(harmless_html).tags} | {"article", "dl", "dt", "dd"}
    description = [attrs["content"] for tag, attrs in page.tags if tag == "meta" and attrs.get("name") == "description"]
    assert description == [stored.strip()]
    text = "".join(page.text)
    assert "Mara <b>\"Berg\"</b> & 'Co'" in text
    assert stored.strip() in text
    assert LOCATION in text  # the location, also the coach's words
    assert [b for b in page.tags if b[0] == "b"] == []

    # The search results show the same profile as a card.
    status, html = fetch(f"{server.url}/coaches?lang=en&q=hostilecoachword")
    page = Page(html)
    cards = [attrs for tag, attrs in page.tags if tag == "article"]
    assert len(cards) == 1
    assert "Mara <b>\"Berg\"</b> & 'Co'" in "".join(page.text)
    assert [b for b in page.tags if b[0] in ("b", "meta") and "http-equiv" in b[1]] == []

    # The coach, signed in, is led into the app from the header, not offered to sign in.
    request = urllib.request.Request(f"{server.url}/coaches?lang=en", headers={"Authorization": f"Bearer {token}"})
    with urllib.request.urlopen(request) as response:
        header = [attrs.get("href") for tag, attrs in Page(response.read().decode()).tags if tag == "a"]
    assert "/home" in header and "/login" not in header
    assert "/login" in [attrs.get("href") for tag, attrs in Page(fetch(f"{server.url}/coaches?lang=en")[1]).tags
                        if tag == "a"]

    # The page for a profile that does not exist, with hostile text in its address; with a control character in
    # it, the address is refused before any page is made.
    status, html = fetch(f"{server.url}/coaches/{urllib.parse.quote(stored)}")
    assert status == 404
    assert not any(tag == "meta" and "http-equiv" in attrs for tag, attrs in Page(html).tags)
    status, body = fetch(f"{server.url}/coaches/{urllib.parse.quote(HOSTILE)}")
    assert status == 400 and "request.invalid" in body


def profile(headline):
    return {
        "slug": "hostile-coach", "headline": headline, "bio": "hostilecoachword\n\n" + headline,
        "topics": ["Leadership"], "languages": ["de", "en"], "formats": ["online", "in_person"],
        "location": LOCATION, "rate": {"amount": 9000, "currency": "EUR", "per": "session"},
        "timeZone": "Europe/Berlin", "isPublished": True,
    }
