"""The web client's QR encoder (Public/js/core/qr.js) against an independent decoder: zxing-cpp reads back exactly
the text for random payloads of every length up to a version-40 symbol, in UTF-8, at every version and mask."""
import json
import random
import string
import subprocess
from pathlib import Path

import numpy
import zxingcpp

HERE = Path(__file__).resolve().parent


def encode(texts):
    result = subprocess.run(["node", str(HERE / "qr-matrix.mjs")], input=json.dumps(texts), capture_output=True,
                            text=True, check=True)
    return json.loads(result.stdout)


def image(code, scale=4, border=4):
    """Dark modules black on white, with the quiet zone, `scale` pixels per module."""
    size = code["size"]
    pixels = numpy.full(((size + 2 * border) * scale,) * 2, 255, dtype=numpy.uint8)
    for y, row in enumerate(code["rows"]):
        for x, dark in enumerate(row):
            if dark == "1":
                top, left = (y + border) * scale, (x + border) * scale
                pixels[top:top + scale, left:left + scale] = 0
    return pixels


def decoded(code):
    results = zxingcpp.read_barcodes(image(code), formats=zxingcpp.BarcodeFormat.QRCode)
    assert len(results) == 1, f"version {code['version']} mask {code['mask']}: {len(results)} codes found"
    return results[0].text


def test_random_payloads_read_back_exactly():
    rng = random.Random(17)
    alphabet = string.ascii_letters + string.digits + " -_:/?&=.%+äöüßÄÖÜ€"
    # Every length up to 80, then every 13th up to the most version 40 holds at level M (2331 bytes): each version
    # is reached, and the longest at its limit.
    lengths = [*range(1, 80), *range(80, 2331, 13), 2331]
    texts = ["".join(rng.choice(string.ascii_letters + string.digits) for _ in range(length)) for length in lengths]
    texts += ["".join(rng.choice(alphabet) for _ in range(rng.randrange(1, 700))) for _ in range(40)]  # UTF-8
    codes = encode(texts)
    assert {code["version"] for code in codes} >= set(range(1, 41)), "every version was drawn"
    assert {code["mask"] for code in codes} == set(range(8)), "every mask was chosen somewhere"
    for text, code in zip(texts, codes):
        assert code["size"] == 17 + 4 * code["version"]
        assert decoded(code) == text, f"version {code['version']}, {len(text)} characters"


def test_an_authenticator_link_picks_a_small_version():
    link = ("otpauth://totp/Lotse:anna.becker@example.org?secret=JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
            "&issuer=Lotse&algorithm=SHA1&digits=6&period=30")  # as LotseCrypto's TOTP.uri writes it
    [code] = encode([link])
    assert code["version"] <= 8  # 49 modules: easy for a phone's camera at arm's length
    assert decoded(code) == link


def test_too_long_is_refused():
    result = subprocess.run(["node", str(HERE / "qr-matrix.mjs")], input=json.dumps(["x" * 2332]),
                            capture_output=True, text=True)
    assert result.returncode != 0 and "Too long for a QR code" in result.stderr
