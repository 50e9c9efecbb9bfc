#!/usr/bin/env python3
"""Build the qm-site microsite: `python3 build.py [build|check|schema|serve|new|pdf|import] …`.

Started by a python3 outside any virtual environment, it runs itself again in the project's one (.venv/,
made by `make site`), so nobody has to activate anything: Debian's python3 cannot have packages installed
into it (PEP 668). Inside a virtual environment (another .venv, a CI matrix) it stays where it is.
"""

import os
import sys
from pathlib import Path

VENV = Path(__file__).resolve().parent / ".venv"


if __name__ == "__main__":
    venv_python = VENV / "bin" / "python"
    if sys.prefix == sys.base_prefix and venv_python.exists():
        os.execv(venv_python, [str(venv_python), __file__, *sys.argv[1:]])
    try:
        from qm_site.cli import exit_now, main
    except ImportError as exc:
        sys.exit(f"qm-site is not installed ({exc.name} is missing): run `make site` once, "
                 f"which creates .venv/ with every package it needs.\n"
                 f"qm-site 尚未安装（缺少 {exc.name}）：请先运行一次 `make site`，它会创建 .venv/ 并安装所需的全部软件包。")
    exit_now(main())
