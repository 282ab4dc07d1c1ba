"""Thin wrapper so `python cli.py …` works like the `baocao` console script."""

from engine.cli import main

if __name__ == "__main__":
    main()
