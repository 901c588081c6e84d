"""schemathesis hooks for the program staff's run: path parameters point at the institution and program the fixture
made (most of the time), so the fuzzer reaches past the 404 of random IDs into the programs' real rules."""
import os
import random

import schemathesis

REAL = {
    "institutionID": os.environ.get("LOTSE_FUZZ_INSTITUTION"),
    "programID": os.environ.get("LOTSE_FUZZ_PROGRAM"),
}


@schemathesis.hook
def map_path_parameters(ctx, path_parameters):
    for name, value in REAL.items():
        if value and path_parameters and name in path_parameters and random.random() < 0.8:
            path_parameters[name] = value
    return path_parameters
