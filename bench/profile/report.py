"""Reads what bench/profile/sampler.c wrote and prints, per busy thread, the share of samples each function appears
in (inclusive) and is running in (self), demangled. Usage: report.py OUT [thread name part] [rows]; with PROF_CALLERS=name, where the functions whose names
contain it are called from instead."""
import bisect
import collections
import os
import subprocess
import sys

SYMBOLIZER = "/opt/swift/usr/bin/llvm-symbolizer"
DEMANGLE = "/opt/swift/usr/bin/swift-demangle"


def main():
    out = sys.argv[1]
    want = sys.argv[2] if len(sys.argv) > 2 else ""
    rows = int(sys.argv[3]) if len(sys.argv) > 3 else 50
    names = {}
    for line in open(out + ".threads"):
        parts = line.split(None, 1)
        if len(parts) == 2:
            names[int(parts[0])] = parts[1].strip()
    maps = []
    for line in open(out + ".maps"):
        parts = line.split()
        if len(parts) >= 6:
            start, end = (int(x, 16) for x in parts[0].split("-"))
            maps.append((start, end, int(parts[2], 16), parts[5]))
    maps.sort()
    bases = {}
    for start, _, offset, path in maps:
        bases.setdefault(path, start - offset)
    starts = [m[0] for m in maps]

    def locate(address):
        index = bisect.bisect_right(starts, address) - 1
        if index < 0 or address >= maps[index][1]:
            return None
        path = maps[index][3]
        return path, address - bases[path]

    samples = []
    for line in open(out):
        parts = line.split()
        if parts and parts[0] == "S":
            samples.append((int(parts[1]), [int(x, 16) for x in parts[2:]]))
    # The first address is where the thread was interrupted; the others are return addresses, which point after
    # their call: look up the byte before them.
    wanted = collections.defaultdict(set)
    for _, frames in samples:
        for depth, address in enumerate(frames):
            found = locate(address if depth == 0 else address - 1)
            if found:
                wanted[found[0]].add(found[1])
    symbols = {}
    for path, offsets in wanted.items():
        offsets = sorted(offsets)
        answer = subprocess.run(
            [SYMBOLIZER, "--obj=" + path, "--no-inlines", "--functions=linkage", "--output-style=GNU"],
            input="\n".join("0x%x" % o for o in offsets), capture_output=True, text=True).stdout.split("\n")
        for offset, function in zip(offsets, answer[0::2]):
            symbols[(path, offset)] = function if function and function != "??" else path.split("/")[-1] + "+?"
    mangled = sorted(set(symbols.values()))
    demangled = subprocess.run([DEMANGLE, "--simplified", "--compact"], input="\n".join(mangled),
                               capture_output=True, text=True).stdout.split("\n")
    readable = dict(zip(mangled, demangled))

    def name(address, depth):
        found = locate(address if depth == 0 else address - 1)
        return readable.get(symbols.get(found, "?"), "?") if found else "?"

    busy = collections.Counter()
    inclusive = collections.defaultdict(collections.Counter)
    own = collections.defaultdict(collections.Counter)
    for thread, frames in samples:
        names_here = [name(a, d) for d, a in enumerate(frames)]
        label = names.get(thread, str(thread))
        busy[label] += 1
        for function in set(names_here):
            inclusive[label][function] += 1
        if names_here:
            own[label][names_here[0]] += 1
    print("samples", sum(busy.values()), dict(busy.most_common(6)))
    callers_of = os.environ.get("PROF_CALLERS")
    if callers_of:  # who calls the functions whose names contain it: the three frames above the innermost match
        paths = collections.Counter()
        for thread, frames in samples:
            names_here = [name(a, d) for d, a in enumerate(frames)]
            hit = next((i for i, n in enumerate(names_here) if callers_of in n), None)
            if hit is not None:
                paths[" <- ".join(n[:60] for n in names_here[hit:hit + 4])] += 1
        for path, n in paths.most_common(15):
            print("%5d %s" % (n, path))
        return
    for label, count in busy.most_common(3):
        if want and want not in label:
            continue
        print("==", label, count)
        for function, n in inclusive[label].most_common(rows):
            print("%5.1f%% %s" % (100 * n / count, function[:170]))
        print("-- self")
        for function, n in own[label].most_common(25):
            print("%5.1f%% %s" % (100 * n / count, function[:170]))


main()
