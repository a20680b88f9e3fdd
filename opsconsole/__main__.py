"""Allow ``python -m opsconsole``."""

import sys

from opsconsole.cli import main

sys.exit(main())
