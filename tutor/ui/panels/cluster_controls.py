"""The run panel's Dask row: an optional scheduler address and "Run on a Dask cluster".

Presentation only: it says which scheduler the learner wants (None: a local cluster) and leaves
the run to the panel's `runs_requested`. Without Dask installed the row stays visible, disabled,
with the install command in its tooltip.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QLineEdit, QPushButton, QSizePolicy, QWidget

from tutor.engine.cluster import cluster_unavailable_reason

BUTTON_TEXT = "Run on a Dask cluster"
PLACEHOLDER = "empty = local cluster"
AVAILABLE_TIP = (
    "Runs the same chunks as Dask tasks. Empty address: a local cluster of N worker processes "
    "on this machine, started for the run and closed after it, locked with a certificate made "
    "for the run so no other account on this machine can use it. An address such as "
    "tcp://host:8786: a running Dask scheduler, with whatever workers it has."
)
ADDRESS_TIP = (
    "A running Dask scheduler, e.g. tcp://192.168.1.20:8786 (start one with `dask scheduler` "
    "and workers with `dask worker tcp://…`). A tls:// address uses the certificate files set "
    "in Dask's configuration (distributed.comm.tls.ca-file, .client.cert, .client.key). Leave "
    "it empty for a local cluster."
)


class ClusterControls(QWidget):
    """Scheduler address field and the cluster run button, side by side."""

    run_requested = Signal(object)  # str | None: the scheduler address; None for a local cluster

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("clusterControls")
        self._busy = False
        self.unavailable_reason = cluster_unavailable_reason()

        self.scheduler_address = QLineEdit(objectName="schedulerAddress")
        self.scheduler_address.setPlaceholderText(PLACEHOLDER)
        # A clear button shows only beside text, and turning it on loads its icon (the icon
        # theme, the image plugins' list: ~6 ms of the window's first frame on a slow machine),
        # so it is turned on with the field's first text.
        self.scheduler_address.textChanged.connect(self._offer_clear_button)
        self.scheduler_address.setAccessibleName("Dask scheduler address (empty: a local cluster)")
        self.scheduler_address.setToolTip(ADDRESS_TIP)

        self.run_cluster_button = QPushButton(BUTTON_TEXT, objectName="runClusterButton")
        self.run_cluster_button.setAccessibleName(BUTTON_TEXT)
        self.run_cluster_button.setSizePolicy(QSizePolicy.Preferred, QSizePolicy.Fixed)

        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.scheduler_address, 1)
        layout.addWidget(self.run_cluster_button)

        if self.unavailable_reason is None:
            self.run_cluster_button.setToolTip(AVAILABLE_TIP)
        else:
            tip = f"Not available: {self.unavailable_reason}."
            self.run_cluster_button.setToolTip(tip)
            self.run_cluster_button.setAccessibleDescription(tip)
            self.scheduler_address.setToolTip(tip)
            self.scheduler_address.setEnabled(False)
        self.run_cluster_button.clicked.connect(self._on_run_cluster_clicked)
        self.scheduler_address.returnPressed.connect(self.run_cluster_button.click)
        self._update_enabled()

    def _offer_clear_button(self, text: str) -> None:
        if text and not self.scheduler_address.isClearButtonEnabled():
            self.scheduler_address.setClearButtonEnabled(True)

    @property
    def available(self) -> bool:
        return self.unavailable_reason is None

    def scheduler(self) -> str | None:
        """The address typed in, or None for a local cluster."""
        return self.scheduler_address.text().strip() or None

    def set_busy(self, busy: bool) -> None:
        self._busy = busy
        self._update_enabled()

    def _update_enabled(self) -> None:
        self.run_cluster_button.setEnabled(self.available and not self._busy)

    def _on_run_cluster_clicked(self) -> None:
        if self.available and not self._busy:
            self.run_requested.emit(self.scheduler())
