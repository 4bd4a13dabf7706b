"""`python -m bot_simulation`: the menu with no arguments, `run …` for scripts."""

from bot_simulation.cli import main

raise SystemExit(main())
