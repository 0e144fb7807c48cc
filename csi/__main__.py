"""``python -m csi``."""

from csi.cli import main

main()
