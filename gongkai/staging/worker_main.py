"""The program of an isolated worker process, run as a script file: ``python -P .../worker_main.py FUNCTION FDS...
PRELOAD...`` (started by gongkai.staging.isolation.IsolatedRunner).

A script file rather than ``python -c`` or ``-m``: code that walks the stack (``inspect.stack()``, which Great
Expectations calls for every Decimal it serializes) looks each frame's module up by its file, and neither the
``<string>`` of a ``-c`` program nor the frozen ``runpy`` frames of ``-m`` belong to a module, so every look-up scanned
all of ``sys.modules``: the rulebook check of 1,000 reports spent 17 s (``-c``) and 26 s (``-m``) in GX in a worker
against 5 s in the run's own process. ``-P`` keeps this file's folder off the module path.
"""

from gongkai.staging.isolation import serve_from_command_line

if __name__ == "__main__":
    serve_from_command_line()
