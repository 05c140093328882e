"""Helpers of the packaging tests: packaging/build.py as a module, and the bundle built once.

Not a conftest.py: test modules elsewhere do `from conftest import ...`, which a second
conftest module would shadow.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
_built: dict[str, Path] = {}


def build_module():
    """packaging/build.py, imported by path (a top-level `packaging` would clash with PyPI's)."""
    name = "mp_tutor_packaging_build"
    if name not in sys.modules:
        spec = importlib.util.spec_from_file_location(name, ROOT / "packaging" / "build.py")
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module  # dataclasses look their module up while being created
        spec.loader.exec_module(module)
    return sys.modules[name]


def built_bundle() -> Path:
    """dist/mp-tutor/, built from scratch by packaging/build.py once per test session."""
    if "bundle" not in _built:
        pytest.importorskip(
            "PyInstaller", reason="PyInstaller (the `package` extra) is missing: make test-package"
        )
        _built["bundle"] = build_module().build(ROOT / "dist", ROOT / "build")
    return _built["bundle"]
