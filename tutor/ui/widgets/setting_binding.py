"""Two-way bindings between a settings widget and the Qt-free run-settings model.

The widget writes every change into the model; the model's changes are written back into the
widget. The model announces only real changes, and Qt's widgets emit only on real changes, so
an echo ends after one step. A binding ends when its widget is destroyed.
"""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox, QLineEdit, QSpinBox

from tutor.models.run_settings import RunSettingsModel, Setting


def bind_spin_box(spin: QSpinBox, model: RunSettingsModel, setting: Setting) -> None:
    """Keep `spin` (range taken from `model.ranges`) and the int `setting` equal."""
    low, high = model.ranges[setting]
    spin.setRange(low, high)
    spin.setValue(int(model.get(setting)))  # type: ignore[call-overload]
    spin.valueChanged.connect(lambda value: model.set(setting, value))

    def follow(changed: Setting, value: object) -> None:
        if changed is setting and spin.value() != value:
            spin.setValue(int(value))  # type: ignore[call-overload]

    spin.destroyed.connect(model.subscribe(follow))


def bind_combo_box(combo: QComboBox, model: RunSettingsModel, setting: Setting) -> None:
    """Keep the item of `combo` whose data is the choice `setting` holds selected."""
    combo.setCurrentIndex(max(0, combo.findData(model.get(setting))))

    def take(_index: int) -> None:
        value = combo.currentData()
        if value in model.choices(setting):
            model.set(setting, value)

    combo.currentIndexChanged.connect(take)

    def follow(changed: Setting, value: object) -> None:
        if changed is setting and combo.currentData() != value:
            combo.setCurrentIndex(combo.findData(value))

    combo.destroyed.connect(model.subscribe(follow))


def bind_line_edit(edit: QLineEdit, model: RunSettingsModel, setting: Setting) -> None:
    """Keep `edit`'s text (stripped) and the text `setting` equal."""
    edit.setText(str(model.get(setting)))
    edit.textChanged.connect(lambda text: model.set(setting, text))

    def follow(changed: Setting, value: object) -> None:
        if changed is setting and edit.text().strip() != value:
            edit.setText(str(value))

    edit.destroyed.connect(model.subscribe(follow))
