"""``python -m csi``."""

from csi.cli import console

console()
