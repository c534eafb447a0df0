"""python -m tests.reports.importing.variants: print the variant x document matrix."""

import sys

from .matrix import main

sys.exit(main())
