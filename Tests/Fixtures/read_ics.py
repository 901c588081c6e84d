"""Reads an iCalendar file (stdin) with Python's icalendar package and prints its events as JSON: what a calendar
app would take from it. The Swift tests compare that with the bookings (Tests/LotseServerTests/Scheduling)."""
import json
import sys
from datetime import timezone

import icalendar

calendar = icalendar.Calendar.from_ical(sys.stdin.read())
# Each VTIMEZONE turned into a tzinfo of its own, to check that its offsets (not only the TZID's name) are right.
zones = {str(z["TZID"]): z.to_tz() for z in calendar.walk("VTIMEZONE")}
events = []
for event in calendar.walk("VEVENT"):
    start = event.decoded("DTSTART")
    end = event.decoded("DTEND")
    tzid = event["DTSTART"].params.get("TZID")
    if tzid is None or tzid not in zones or start.tzinfo is None:
        sys.exit(f"DTSTART of {event['UID']} has no TZID with a VTIMEZONE")
    events.append({
        "uid": str(event["UID"]),
        "start": start.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "end": end.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "local": start.strftime("%Y-%m-%dT%H:%M"),
        "startByVTimezone": start.replace(tzinfo=None).replace(tzinfo=zones[tzid]).astimezone(timezone.utc)
        .strftime("%Y-%m-%dT%H:%M:%SZ"),
        "tzid": tzid,
        "status": str(event.get("STATUS")),
        "sequence": int(event.get("SEQUENCE", 0)),
        "summary": str(event.get("SUMMARY")),
    })
print(json.dumps({"method": str(calendar.get("METHOD")), "events": events}))
