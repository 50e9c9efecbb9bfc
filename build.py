#!/usr/bin/env python3
"""Build the qm-site microsite: `python build.py [build|check|schema|serve|new|pdf] …`."""

import sys

from qm_site.cli import main

if __name__ == "__main__":
    sys.exit(main())
