"""Entry script of the frozen console: ``opsconsole [COMMAND ...]`` as when installed.

``freeze_support`` comes first: planning and parallel propagation start ``spawn``
worker processes, which in a frozen app re-run this executable with multiprocessing's
own arguments; it runs the worker and exits before the command line is parsed.
"""

import multiprocessing
import sys

if __name__ == "__main__":
    multiprocessing.freeze_support()
    from opsconsole.cli import main

    sys.exit(main())
