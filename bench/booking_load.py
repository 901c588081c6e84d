#!/usr/bin/env python3
"""The booking path as a client meets it: a coach with a working week of availability, one engagement, and its client
reading the free slots and booking one session after another (bench/booking.sh runs it).

Prints one JSON line: median milliseconds per request for the health check (one query: the ceiling), the free-slots
read and a booking, each over one kept-alive connection, sequentially (no queueing in the numbers). With
`--statements LOG`, it instead makes one slots read and one booking and counts the SQL statements the server logged
for each (the server runs with LOG_LEVEL=debug then)."""
import argparse
import http.client
import json
import os
import statistics
import sys
import time
import uuid
from pathlib import Path
from urllib.parse import urlparse

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "Tests"))
from lotse_client import account_with_keys, b64, call, look_up, p256_point  # noqa: E402


def engagement(base, outbox):
    """A coach (Monday to Friday 08:00–18:00 in Berlin, 50-minute sessions) and a client in one engagement."""
    coach, coach_id = account_with_keys(base, outbox, "coach@bench.example", "coach", "10.9.0.1", "Bench coach", "de")
    client, client_id = account_with_keys(base, outbox, "client@bench.example", "client", "10.9.0.2", "Bench client",
                                          "de")
    look_up(base, coach, "client@bench.example", "10.9.0.1")
    engagement_id, conversation = str(uuid.uuid4()).upper(), str(uuid.uuid4()).upper()
    keys = [{"member": who, "epoch": 1, "distributor": coach_id, "ephemeralPublicKey": p256_point(),
             "wrappedKey": b64(os.urandom(60)), "signature": b64(os.urandom(64))} for who in (coach_id, client_id)]
    status, _ = call(base, "POST", "/api/v1/engagements", coach, {"id": engagement_id, "isGroup": False,
                     "conversation": {"id": conversation, "members": [client_id], "keys": keys}}, "10.9.0.1")
    assert status == 201, status
    weekly = [{"weekday": day, "start": "08:00", "end": "18:00"} for day in range(1, 6)]
    status, _ = call(base, "PUT", "/api/v1/availability", coach, {
        "timeZone": "Europe/Berlin", "weekly": weekly, "exceptions": [], "bufferBeforeMinutes": 10,
        "bufferAfterMinutes": 10, "minimumNoticeMinutes": 60, "horizonDays": 90, "slotStepMinutes": 15,
        "changeNoticeHours": 24}, "10.9.0.1")
    assert status == 200, status
    session_type = str(uuid.uuid4()).upper()
    status, _ = call(base, "PUT", f"/api/v1/session-types/{session_type}", coach, {
        "name": "Coaching", "durationMinutes": 50, "format": "online", "isActive": True}, "10.9.0.1")
    assert status in (200, 201), status
    return client, engagement_id, session_type


class Connection:
    """One kept-alive HTTP connection, as a browser tab keeps one."""

    def __init__(self, base, token):
        url = urlparse(base)
        self.http = http.client.HTTPConnection(url.hostname, url.port)
        self.headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json",
                        "X-Forwarded-For": "10.9.0.2"}

    def timed(self, method, path, body=None):
        start = time.perf_counter()
        self.http.request(method, path, json.dumps(body) if body is not None else None, self.headers)
        response = self.http.getresponse()
        data = response.read()
        elapsed = (time.perf_counter() - start) * 1000
        if response.status >= 300:
            raise SystemExit(f"{method} {path}: {response.status} {data[:300]!r}")
        return elapsed, json.loads(data) if data else None


def free_starts(connection, engagement_id, session_type):
    _, slots = connection.timed("GET", f"/api/v1/engagements/{engagement_id}/slots?sessionType={session_type}")
    return slots["starts"]


def spaced(starts, count):
    """Starts at least two hours apart, so each booking leaves the next one free."""
    chosen, last = [], None
    for start in starts:
        moment = time.mktime(time.strptime(start[:19], "%Y-%m-%dT%H:%M:%S"))
        if last is None or moment - last >= 7_200:
            chosen.append(start)
            last = moment
        if len(chosen) == count:
            break
    return chosen


def book(connection, engagement_id, session_type, start):
    return connection.timed("POST", "/api/v1/bookings", {"id": str(uuid.uuid4()).upper(),
                            "engagementId": engagement_id, "sessionTypeId": session_type, "startsAt": start})[0]


def statements(log, start, end):
    """SQL statements the server logged between two sizes of its log."""
    with open(log, "rb") as lines:
        lines.seek(start)
        text = lines.read(end - start).decode("utf-8", errors="replace")
    return sum(1 for line in text.splitlines() if any(word in line for word in ("SELECT", "INSERT", "UPDATE",
               "DELETE", "BEGIN", "COMMIT")) and "[ DEBUG ]" in line)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("base")
    parser.add_argument("outbox", type=Path)
    parser.add_argument("--bookings", type=int, default=60)
    parser.add_argument("--reads", type=int, default=200)
    parser.add_argument("--statements", metavar="LOG")
    args = parser.parse_args()
    client, engagement_id, session_type = engagement(args.base, args.outbox)
    connection = Connection(args.base, client)
    starts = spaced(free_starts(connection, engagement_id, session_type), args.bookings)
    if args.statements:
        sizes = []
        for action in (lambda: None, lambda: free_starts(connection, engagement_id, session_type),
                       lambda: book(connection, engagement_id, session_type, starts[0])):
            action()
            time.sleep(0.5)  # the log is written in the background
            sizes.append(os.path.getsize(args.statements))
        print(json.dumps({"slots_statements": statements(args.statements, sizes[0], sizes[1]),
                          "booking_statements": statements(args.statements, sizes[1], sizes[2])}))
        return
    health = [connection.timed("GET", "/api/v1/health")[0] for _ in range(args.reads)]
    slots = [connection.timed("GET", f"/api/v1/engagements/{engagement_id}/slots?sessionType={session_type}")[0]
             for _ in range(args.reads)]
    bookings = [book(connection, engagement_id, session_type, start) for start in starts]
    print(json.dumps({"health_ms": round(statistics.median(health), 3),
                      "slots_ms": round(statistics.median(slots), 3),
                      "booking_ms": round(statistics.median(bookings), 3), "bookings": len(bookings)}))


if __name__ == "__main__":
    main()
