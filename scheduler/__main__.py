"""``python -m scheduler``: the command line."""

from scheduler.cli.main import main

# Guarded: the solver starts helper processes with "spawn", which import this
# module again under another name; they must not run the command a second time.
if __name__ == "__main__":
    raise SystemExit(main())
