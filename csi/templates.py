"""The standard structural models ``csi init --template`` writes: one declaration each.

Each template is a model file under ``csi/data/templates/`` with its constructs, arrows,
Chinese and English names, placeholder columns and, in its comments, the source of its
structure (docs/structural.md).
"""

from __future__ import annotations

from pathlib import Path

__all__ = ["TEMPLATES", "template_path"]

#: name → what it is (for help texts)
TEMPLATES = {
    "acsi": "ACSI (Fornell et al. 1996): expectations, quality, value → satisfaction → complaints, loyalty",
    "ecsi": "ECSI (Tenenhaus et al. 2005): ACSI plus image",
    "ccsi": "CCSI (GB/T 19038-2009): 品牌形象, 预期质量, 感知质量, 感知价值 → 顾客满意度 → 顾客忠诚",
}


def template_path(name: str) -> Path:
    """The file of template ``name`` (a key of :data:`TEMPLATES`).

    >>> template_path("ecsi").name
    'ecsi.yaml'
    """
    if name not in TEMPLATES:
        raise KeyError(name)
    return Path(__file__).with_name("data") / "templates" / f"{name}.yaml"
