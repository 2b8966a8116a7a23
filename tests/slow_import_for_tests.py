"""A module that takes two seconds to import, like the parse worker's region index: for the isolation tests."""

import time

time.sleep(2)
IMPORTED_AT = time.monotonic()
