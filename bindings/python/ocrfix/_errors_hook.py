"""Prints an uncaught ocrfix.Error as its one-paragraph message instead of a traceback.

ocrfix's messages already say what went wrong and what to do next; in a script, a
traceback through the binding layer only buries that. Other exceptions, and every
exception when OCRFIX_TRACEBACK=1, go to the previous hook unchanged. A hook installed by
someone else (IPython, a test runner) is left alone.
"""

import os
import sys


def install(error_class):
    previous = sys.excepthook
    if previous is not sys.__excepthook__:
        return

    def hook(kind, value, traceback):
        if isinstance(value, error_class) and os.environ.get("OCRFIX_TRACEBACK", "") in ("", "0"):
            print(f"ocrfix: {kind.__name__}: {value} "
                  "(Set OCRFIX_TRACEBACK=1 to see where it was raised.)", file=sys.stderr)
            return
        previous(kind, value, traceback)

    sys.excepthook = hook
