"""Build the clinic's patient leaflets: see README.md, or run with --help."""
from leaflets.cli import run

if __name__ == "__main__":
    run()
