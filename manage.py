#!/usr/bin/env python
"""Django's command-line utility; `onehome` (the console script) is the same thing."""

from onehome.cli import main

if __name__ == "__main__":
    main()
