"""Seeded, realistic matching instances for bench/matching.sh, and the independent references.

A cohort's answers are drawn the way a university's mentoring program looks: topics clustered by field (a mentee in
computer science mostly picks computing topics), languages skewed to German and English, weekly availability in
21 slots (7 days × morning/afternoon/evening) with evenings popular, mentors' capacities 1–5 (mostly 2–3). The
score follows docs/programs.md: "must" rules filter (a shared language, at least one common slot), the other
criteria add weighted points for the share of overlapping answers, normalised to 0–100.

    python3 bench/matching_instance.py instance.bin MENTEES MENTORS SEED      writes an instance
    python3 bench/matching_instance.py --reference instance.bin RUNS          prints scipy's and greedy's results
"""
import json
import random
import struct
import sys
import time

import numpy as np

FIELDS = 8
TOPICS_PER_FIELD = 6
LANGUAGES = [("de", 0.85), ("en", 0.6), ("fr", 0.08), ("tr", 0.07), ("ar", 0.05), ("es", 0.06), ("uk", 0.04)]
WEIGHTS = {"topics": 4, "field": 2, "availability": 2, "languages": 1}


def person(rng):
    field = rng.randrange(FIELDS)
    own = [field * TOPICS_PER_FIELD + t for t in range(TOPICS_PER_FIELD)]
    topics = set(rng.sample(own, rng.randint(2, 3)))
    if rng.random() < 0.5:
        topics.add(rng.randrange(FIELDS * TOPICS_PER_FIELD))
    languages = {code for code, share in LANGUAGES if rng.random() < share} or {"de"}
    slots = set()
    for _ in range(rng.randint(2, 7)):
        day = rng.randrange(7)
        part = rng.choices([0, 1, 2], weights=[1, 2, 4])[0]
        slots.add(day * 3 + part)
    return {"field": field, "topics": topics, "languages": languages, "slots": slots}


def overlap(a, b):
    return len(a & b) / min(len(a), len(b)) if a and b else 0.0


def score(mentee, mentor):
    if not (mentee["languages"] & mentor["languages"]) or not (mentee["slots"] & mentor["slots"]):
        return -1
    points = (WEIGHTS["topics"] * overlap(mentee["topics"], mentor["topics"])
              + WEIGHTS["field"] * (mentee["field"] == mentor["field"])
              + WEIGHTS["availability"] * overlap(mentee["slots"], mentor["slots"])
              + WEIGHTS["languages"] * overlap(mentee["languages"], mentor["languages"]))
    return round(100 * points / sum(WEIGHTS.values()))


def write(path, mentees, mentors, seed):
    rng = random.Random(seed)
    people = [person(rng) for _ in range(mentees)]
    guides = [person(rng) for _ in range(mentors)]
    capacity = [rng.choices([1, 2, 3, 4, 5], weights=[2, 4, 4, 2, 1])[0] for _ in range(mentors)]
    scores = bytes((score(a, b) & 0xFF) for a in people for b in guides)
    with open(path, "wb") as out:
        out.write(struct.pack("<ii", mentees, mentors))
        out.write(struct.pack(f"<{mentors}i", *capacity))
        out.write(scores)


def read(path):
    with open(path, "rb") as f:
        mentees, mentors = struct.unpack("<ii", f.read(8))
        capacity = np.array(struct.unpack(f"<{mentors}i", f.read(4 * mentors)))
        scores = np.frombuffer(f.read(), dtype=np.int8).reshape(mentees, mentors).astype(np.int64)
    return scores, capacity


def optimum(scores, capacity, bonus):
    """scipy's assignment on the capacity-expanded matrix: one column per mentor place; excluded pairs weigh 0,
    as unmatched does."""
    from scipy.optimize import linear_sum_assignment
    columns = np.repeat(np.arange(len(capacity)), capacity)
    allowed = scores >= 0
    weights = np.where(allowed, scores + bonus, 0)[:, columns].astype(np.float64)
    started = time.perf_counter()
    rows, cols = linear_sum_assignment(weights, maximize=True)
    seconds = time.perf_counter() - started
    mentors = columns[cols]
    pairs = [(r, m) for r, m in zip(rows, mentors) if allowed[r, m]]
    return sum(int(scores[r, m]) for r, m in pairs), len(pairs), seconds


def greedy(scores, capacity):
    left = capacity.copy()
    taken = np.zeros(scores.shape[0], dtype=bool)
    flat = np.argsort(-scores, axis=None, kind="stable")
    total = matched = 0
    for index in flat:
        mentee, mentor = divmod(int(index), scores.shape[1])
        if scores[mentee, mentor] < 0:
            break
        if not taken[mentee] and left[mentor] > 0:
            taken[mentee] = True
            left[mentor] -= 1
            total += int(scores[mentee, mentor])
            matched += 1
    return total, matched


if __name__ == "__main__":
    if sys.argv[1] == "--reference":
        scores, capacity = read(sys.argv[2])
        runs = int(sys.argv[3])
        times = []
        for _ in range(runs):
            total, matched, seconds = optimum(scores, capacity, 0)
            times.append(seconds)
        bonus = 100 * min(scores.shape[0], int(capacity.sum())) + 1
        _, everyone, _ = optimum(scores, capacity, bonus)
        greedy_total, greedy_matched = greedy(scores, capacity)
        print(json.dumps({"total": total, "matched": matched, "everyoneMatched": everyone,
                          "medianMilliseconds": sorted(times)[len(times) // 2] * 1000,
                          "greedyTotal": greedy_total, "greedyMatched": greedy_matched,
                          "excludedShare": float((scores < 0).mean())}))
    else:
        write(sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]))
