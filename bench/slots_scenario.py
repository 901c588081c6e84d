"""Writes the busy-coach scenario of bench/scheduling.sh: Europe/Berlin, 90 days that cross the change to summer time,
weekdays 08:00-12:00 and 13:00-18:00 and Saturday mornings, 15-minute steps, 10-minute buffers, four sessions booked
on most working days, two closed days."""
import json
import random
import sys
from datetime import datetime, timezone

random.seed(5)
now = int(datetime(2027, 2, 15, 7, 3, tzinfo=timezone.utc).timestamp())
weekday_hours = [[8 * 60, 12 * 60], [13 * 60, 18 * 60]]
weekly = [weekday_hours] * 5 + [[[9 * 60, 12 * 60]], []]
first_day = now // 86400
busy = []
for day in range(first_day, first_day + 91):
    for _ in range(4):
        start = day * 86400 + random.randrange(6 * 60, 16 * 60, 15) * 60  # UTC 06:00-16:00
        busy.append([start - 600, start + 3600 + 600])
scenario = {
    "timeZone": "Europe/Berlin", "weekly": weekly,
    "exceptions": {str(first_day + 10): [], str(first_day + 41): [[10 * 60, 14 * 60]], str(first_day + 70): []},
    "bufferBefore": 600, "bufferAfter": 600, "minimumNotice": 12 * 3600, "horizon": 90 * 86400, "step": 900,
    "duration": 3600, "busy": busy, "now": now, "runs": int(sys.argv[2]) if len(sys.argv) > 2 else 2000,
}
json.dump(scenario, open(sys.argv[1], "w"))
