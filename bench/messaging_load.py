"""Load for bench/messaging.sh: durable sends per second and delivery latency over WebSockets, against Lotse and
against mosquitto (MQTT QoS 1, the pub/sub ceiling), with the same asyncio harness and the same traffic shape:
`conversations` pairs, each sender keeping `window` messages in flight until it has sent `count`.

Usage: messaging_load.py lotse BASE_URL OUTBOX_DIR | mosquitto PORT   (options: see --help)
Prints one JSON line: {"sent", "seconds", "per_second", "ack_p50_ms", "ack_p99_ms", "delivery_p50_ms", "delivery_p99_ms"}.
With --people-only it signs the people up, prints the path of the file that lists them (conversation and the two
bearer tokens per pair) and stops: the set-up of the compiled load generator, bench/load (#21).
"""
import argparse
import asyncio
import http.client
import json
import os
import struct
import sys
import time
import urllib.parse
import uuid
from pathlib import Path

import websockets

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "Tests"))
from lotse_client import account_with_keys, b64, look_up, stand_in_conversation  # noqa: E402

PAYLOAD_BYTES = 200  # a short chat line after AES-GCM and base64


def percentile(values, fraction):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))] * 1000


class Tally:
    def __init__(self):
        self.sent_at, self.acks, self.deliveries = {}, [], []
        self.first = self.last = None

    def sent(self, key):
        now = time.perf_counter()
        self.first = self.first or now
        self.sent_at[key] = now

    def acked(self, key):
        now = time.perf_counter()
        self.acks.append(now - self.sent_at[key])
        self.last = now

    def delivered(self, key):
        self.deliveries.append(time.perf_counter() - self.sent_at[key])

    def report(self):
        seconds = self.last - self.first
        return {
            "sent": len(self.acks), "seconds": round(seconds, 3), "per_second": round(len(self.acks) / seconds),
            "ack_p50_ms": round(percentile(self.acks, 0.50), 2), "ack_p99_ms": round(percentile(self.acks, 0.99), 2),
            "delivery_p50_ms": round(percentile(self.deliveries, 0.50), 2),
            "delivery_p99_ms": round(percentile(self.deliveries, 0.99), 2),
        }


# ---- Lotse -------------------------------------------------------------------------------------------------------

def lotse_people(base, outbox, pairs):
    """Signs up 2 × pairs accounts with keys and one conversation per pair (cached in the outbox folder)."""
    cache = outbox.parent / f"bench-people-{pairs}.json"
    if cache.exists():
        return json.loads(cache.read_text())
    # bench/messaging.sh trusts loopback as a proxy, so each account comes from its own address and sign-up's
    # per-address limit does not stop the set-up.
    people = []
    for index in range(pairs * 2):
        address, ip = f"bench{pairs}.{index}@example.org", f"10.{pairs}.{index // 250}.{index % 250 + 1}"
        # Senders are coaches: a conversation starts only with someone one found by address (docs/crypto.md).
        role = "coach" if index % 2 == 0 else "client"
        token, account_id = account_with_keys(base, outbox, address, role, ip, f"Bench {index}")
        people.append({"token": token, "id": account_id, "ip": ip, "email": address})
    pairs_out = []
    for sender, receiver in zip(people[0::2], people[1::2]):
        look_up(base, sender["token"], receiver["email"], sender["ip"])
        conversation = stand_in_conversation(base, sender["token"], sender["id"], [receiver["id"]], sender["ip"])
        pairs_out.append({"conversation": conversation, "sender": sender["token"], "receiver": receiver["token"]})
    cache.write_text(json.dumps(pairs_out))
    return pairs_out


class Fetcher:
    """What the web client did after an ack without the message (before issue #17): fetch it through the API, over
    one kept-alive connection per tab, as a browser does. Used from one thread at a time per sender."""

    def __init__(self, base, token, conversation):
        url = urllib.parse.urlparse(base)
        self.connection = http.client.HTTPConnection(url.hostname, url.port)
        self.headers = {"Authorization": f"Bearer {token}"}
        self.conversation = conversation

    def after(self, seq):
        self.connection.request("GET", f"/api/v1/conversations/{self.conversation}/messages?after={seq - 1}&limit=200",
                                headers=self.headers)
        response = self.connection.getresponse()
        body = response.read()
        if response.status != 200:
            raise SystemExit(f"fetching the sent message: {response.status} {body[:200]!r}")
        return json.loads(body)


async def lotse_pair(url, pair, count, window, tally, ready, web_client=False):
    headers = {"Authorization": f"Bearer {pair['receiver']}"}
    async with websockets.connect(url, additional_headers=headers, max_size=None) as receiver, \
            websockets.connect(url, additional_headers={"Authorization": f"Bearer {pair['sender']}"}, max_size=None) as sender:
        await ready.wait()
        slots = asyncio.Semaphore(window)
        done = asyncio.Event()
        fetcher = Fetcher(url.replace("ws", "http", 1).rsplit("/api/", 1)[0], pair["sender"], pair["conversation"])
        acked = 0

        async def read_acks():
            nonlocal acked
            async for frame in sender:
                event = json.loads(frame)
                if event["type"] == "ack":
                    if web_client and "message" not in event:
                        await asyncio.to_thread(fetcher.after, event["seq"])
                    tally.acked(event["id"])
                    slots.release()
                    acked += 1
                    if acked == count:
                        done.set()
                        return
                elif event["type"] == "error":
                    raise SystemExit(f"send refused: {event}")

        async def read_deliveries():
            received = 0
            async for frame in receiver:
                event = json.loads(frame)
                if event["type"] == "message":
                    tally.delivered(event["message"]["id"])
                    received += 1
                    if received == count:
                        return

        readers = [asyncio.create_task(read_acks()), asyncio.create_task(read_deliveries())]
        for _ in range(count):
            await slots.acquire()
            key = str(uuid.uuid4()).upper()
            frame = json.dumps({"type": "send", "conversation": pair["conversation"], "message": {
                "id": key, "epoch": 1, "ciphertext": b64(os.urandom(PAYLOAD_BYTES)), "signature": b64(os.urandom(64))}})
            tally.sent(key)
            await sender.send(frame)
        await asyncio.wait_for(asyncio.gather(*readers), timeout=120)


async def run_lotse(base, outbox, pairs, count, window, web_client=False):
    people = lotse_people(base, Path(outbox), pairs)
    url = base.replace("http", "ws", 1) + "/api/v1/socket"
    tally, ready = Tally(), asyncio.Event()
    tasks = [asyncio.create_task(lotse_pair(url, pair, count, window, tally, ready, web_client)) for pair in people]
    await asyncio.sleep(1)  # every socket open and greeted before the clock starts
    ready.set()
    await asyncio.gather(*tasks)
    return tally.report()


# ---- mosquitto: MQTT 3.1.1 QoS 1, just the packets this needs ------------------------------------------------------

def packet(kind, body):
    length, encoded = len(body), bytearray()
    while True:
        byte, length = length % 128, length // 128
        encoded.append(byte | (128 if length else 0))
        if not length:
            break
    return bytes([kind]) + bytes(encoded) + body


def utf8(text):
    data = text.encode()
    return struct.pack("!H", len(data)) + data


async def read_packet(reader):
    kind = (await reader.readexactly(1))[0]
    length, shift = 0, 0
    while True:
        byte = (await reader.readexactly(1))[0]
        length |= (byte & 127) << shift
        shift += 7
        if not byte & 128:
            break
    return kind, await reader.readexactly(length)


async def mqtt_connect(port, client_id):
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    writer.write(packet(0x10, utf8("MQTT") + bytes([4, 2]) + struct.pack("!H", 60) + utf8(client_id)))
    kind, _ = await read_packet(reader)
    assert kind == 0x20
    return reader, writer


async def mosquitto_pair(port, index, count, window, tally, ready):
    topic = f"conversation/{index}"
    sub_reader, sub_writer = await mqtt_connect(port, f"receiver-{index}")
    sub_writer.write(packet(0x82, struct.pack("!H", 1) + utf8(topic) + bytes([1])))
    kind, _ = await read_packet(sub_reader)
    assert kind == 0x90
    pub_reader, pub_writer = await mqtt_connect(port, f"sender-{index}")
    await ready.wait()
    slots = asyncio.Semaphore(window)
    keys = {}

    async def read_acks():
        for _ in range(count):
            kind, body = await read_packet(pub_reader)
            assert kind == 0x40
            tally.acked(keys.pop(struct.unpack("!H", body[:2])[0]))
            slots.release()

    async def read_deliveries():
        for _ in range(count):
            kind, body = await read_packet(sub_reader)
            assert kind & 0xF0 == 0x30
            topic_length = struct.unpack("!H", body[:2])[0]
            packet_id = body[2 + topic_length:4 + topic_length]
            payload = json.loads(body[4 + topic_length:])
            sub_writer.write(packet(0x40, packet_id))
            tally.delivered(payload["id"])

    readers = [asyncio.create_task(read_acks()), asyncio.create_task(read_deliveries())]
    for number in range(count):
        await slots.acquire()
        key = str(uuid.uuid4()).upper()
        packet_id = number % 65535 + 1
        keys[packet_id] = key
        payload = json.dumps({"id": key, "epoch": 1, "ciphertext": b64(os.urandom(PAYLOAD_BYTES)), "signature": b64(os.urandom(64))})
        tally.sent(key)
        pub_writer.write(packet(0x32, utf8(topic) + struct.pack("!H", packet_id) + payload.encode()))
    await asyncio.wait_for(asyncio.gather(*readers), timeout=120)
    pub_writer.close()
    sub_writer.close()


async def run_mosquitto(port, pairs, count, window):
    tally, ready = Tally(), asyncio.Event()
    tasks = [asyncio.create_task(mosquitto_pair(port, index, count, window, tally, ready)) for index in range(pairs)]
    await asyncio.sleep(1)
    ready.set()
    await asyncio.gather(*tasks)
    return tally.report()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("peer", choices=["lotse", "mosquitto"])
    parser.add_argument("target", help="Lotse base URL, or mosquitto's port")
    parser.add_argument("outbox", nargs="?", help="Lotse's outbox folder (verification mails)")
    parser.add_argument("--conversations", type=int, default=16)
    parser.add_argument("--count", type=int, default=300, help="messages per conversation")
    parser.add_argument("--window", type=int, default=4, help="messages in flight per sender")
    parser.add_argument("--as-web-client", action="store_true",
                        help="a send is done when the sending tab has the stored message: fetched when the ack lacks it")
    parser.add_argument("--people-only", action="store_true", help="sign up, print the people file's path, stop")
    options = parser.parse_args()
    if options.people_only:
        lotse_people(options.target, Path(options.outbox), options.conversations)
        print(Path(options.outbox).parent / f"bench-people-{options.conversations}.json")
        return
    if options.peer == "lotse":
        result = asyncio.run(run_lotse(options.target, options.outbox, options.conversations, options.count,
                                       options.window, options.as_web_client))
    else:
        result = asyncio.run(run_mosquitto(int(options.target), options.conversations, options.count, options.window))
    print(json.dumps(result))


if __name__ == "__main__":
    main()
