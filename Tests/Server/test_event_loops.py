"""The server runs one event loop per core it may use: pinned to one core (taskset, a container's cpuset), one loop,
not one per core of the machine taking turns on it."""
import os
import sys
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from conftest import launch_server  # noqa: E402


def event_loops(pid):
    """The threads of NIO's process-wide event loop group (named NIO-SGLTN-<group>-#<n>; its blocking pool's are
    SGLTN-TP-#<n>)."""
    names = [(task / "comm").read_text().strip() for task in Path(f"/proc/{pid}/task").iterdir()]
    return [name for name in names if name.startswith("NIO-SGLTN-")]


def test_one_event_loop_per_allowed_core(inbox):
    allowed = sorted(os.sched_getaffinity(0))
    for cores in [{allowed[0]}, set(allowed)]:
        server = launch_server(inbox, cores=cores)
        try:
            loops = event_loops(server.process.pid)
            # Unpinned, NIO may make fewer (a cgroup's CPU quota), never more.
            assert len(loops) == 1 if len(cores) == 1 else 1 <= len(loops) <= len(cores), loops
            with urllib.request.urlopen(server.url + "/api/v1/health", timeout=5) as response:
                assert response.status == 200
        finally:
            server.stop()
