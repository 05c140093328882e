"""One way to build the panels' number fields: a spin box set up from its settings in one call.

The run panel, Your function, Where the time goes and Other Pythons each ask for N, workers,
chunks or a time limit; every such field needs the same handful of setters, in an order that
matters (the range before the value, or the value is clamped to the old range). `spin_box`
applies them, so a panel states only what differs.
"""

from __future__ import annotations

from typing import TypeVar

from PySide6.QtWidgets import QDoubleSpinBox, QSpinBox

SpinBox = TypeVar("SpinBox", QSpinBox, QDoubleSpinBox)


def spin_box(
    object_name: str,
    accessible_name: str,
    tool_tip: str = "",
    *,
    kind: type[SpinBox] = QSpinBox,
    limits: tuple[float, float] | None = None,
    value: float | None = None,
    step: float | None = None,
    decimals: int | None = None,
    suffix: str = "",
    special_text: str = "",
    group_separators: bool = False,
) -> SpinBox:
    """A `kind` spin box (QSpinBox or QDoubleSpinBox) named `object_name` for tests and styles.

    `accessible_name`: what a screen reader says; `tool_tip`: the hover text (none when empty).
    `limits` (minimum, maximum) is set before `value`, so the value is not clamped to Qt's
    default 0…99; both must fit a C int for a QSpinBox (Qt raises OverflowError beyond it,
    docs/architecture.md "Landmines"). `decimals` applies to a QDoubleSpinBox only.
    `special_text` is shown instead of the minimum (e.g. "auto" for 0); `group_separators`
    writes 1,000,000 rather than 1000000. A setting left as None keeps Qt's default.
    """
    box = kind(objectName=object_name)
    if decimals is not None and isinstance(box, QDoubleSpinBox):
        box.setDecimals(decimals)
    if limits is not None:
        box.setRange(*limits)
    if step is not None:
        box.setSingleStep(step)
    if value is not None:
        box.setValue(value)
    box.setSuffix(suffix)
    box.setSpecialValueText(special_text)
    box.setGroupSeparatorShown(group_separators)
    box.setAccessibleName(accessible_name)
    if tool_tip:
        box.setToolTip(tool_tip)
    return box
