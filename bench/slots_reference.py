"""Reference implementation of the free-slot computation (docs/scheduling.md), written independently in plain
Python with zoneinfo. bench/scheduling.sh runs it on the same busy-coach scenario as the Swift code, checks that
both offer exactly the same starts, and reports the time of each."""
import json
import sys
import time
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

EPOCH = datetime(1970, 1, 1)


def utc_of_local(day, minute, zone):
    """The UTC second of a wall-clock time; zoneinfo's fold=0 picks the first of a repeated time and reads a
    skipped one with the offset before the change."""
    local = EPOCH + timedelta(days=day, minutes=minute)
    return int(local.replace(tzinfo=zone).astimezone(timezone.utc).timestamp())


def free_starts(s):
    zone = ZoneInfo(s["timeZone"])
    now = s["now"]
    earliest, latest = now + s["minimumNotice"], now + s["horizon"]
    duration, step = s["duration"], s["step"]
    to_local_day = lambda t: (datetime.fromtimestamp(t, timezone.utc).astimezone(zone).replace(tzinfo=None) - EPOCH).days
    ranges = []
    for day in range(to_local_day(earliest) - 2, to_local_day(latest + duration) + 3):
        weekday = (EPOCH + timedelta(days=day)).isoweekday()
        hours = s["exceptions"].get(str(day), s["weekly"][weekday - 1])
        for start, end in hours:
            a, b = utc_of_local(day, start, zone), utc_of_local(day, end, zone)
            if b > a:
                ranges.append((a, b))
    ranges.sort()
    windows = []
    for a, b in ranges:
        if windows and a <= windows[-1][1]:
            windows[-1][1] = max(windows[-1][1], b)
        else:
            windows.append([a, b])
    busy = [tuple(b) for b in s["busy"]]
    result = set()
    for a, b in ranges:
        window_end = next(w[1] for w in windows if w[0] <= a and b <= w[1])
        t = a
        while t < b:
            claim = (t - s["bufferBefore"], t + duration + s["bufferAfter"])
            if (earliest <= t < latest and t + duration <= window_end
                    and not any(x < claim[1] and claim[0] < y for x, y in busy)):
                result.add(t)
            t += step
    return sorted(result)


scenario = json.load(open(sys.argv[1]))
runs = int(sys.argv[2]) if len(sys.argv) > 2 else 20
times = []
for _ in range(runs):
    start = time.perf_counter()
    starts = free_starts(scenario)
    times.append((time.perf_counter() - start) * 1e6)
times.sort()
print(json.dumps({"medianMicroseconds": times[len(times) // 2], "starts": starts}))
