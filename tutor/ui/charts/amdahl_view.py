"""The line under the timing chart that puts Amdahl's law into words for the learner's sweep."""

from __future__ import annotations

import math

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget

from tutor.analysis.amdahl import AmdahlFit, format_fraction, goodness_words
from tutor.engine.machine import CoreCounts
from tutor.ui.widgets.folded_label import FoldedLabel, keep_space_when_hidden

AMDAHL_TIP = (
    "Amdahl's law: with a serial fraction s, N workers reach at best "
    "speedup(N) = 1 / (s + (1 − s) / N). Here s is fitted (least squares) to the speedups "
    "your process runs measured, so it counts everything that did not shrink as workers were "
    "added: starting the pool, handing out chunks, combining the results. Runs with more "
    "workers than physical cores are left out of the fit: there the workers share cores. "
    "Predictions past the largest N you measured are extrapolations: they assume the serial "
    "fraction stays what it was."
)


def _workers_range(workers: tuple[int, ...]) -> str:
    if len(workers) == 1:
        return f"{workers[0]}"
    contiguous = list(workers) == list(range(workers[0], workers[-1] + 1))
    return f"{workers[0]}–{workers[-1]}" if contiguous else ", ".join(map(str, workers))


def amdahl_summary(fit: AmdahlFit, cores: CoreCounts | None = None) -> str:
    """The fit in one or two plain sentences (no markup)."""
    predictions = fit.predictions()
    told = " and ".join(f"{speedup:.1f}× on {n} cores" for n, speedup in predictions.items())
    ceiling = (
        "no limit from serial work"
        if math.isinf(fit.max_speedup)
        else f"never more than {fit.max_speedup:.1f}×, however many cores"
    )
    top = max(fit.workers_fitted)
    text = (
        f"Amdahl's law fitted to your process runs with {_workers_range(fit.workers_fitted)} "
        f"workers: serial fraction s ≈ {format_fraction(fit.serial_fraction)}; "
        f"{goodness_words(fit)}. It predicts {told} ({ceiling}). These predictions "
        f"extrapolate far beyond the {top} workers measured: treat them as a rough guide."
    )
    if cores is not None and cores.differ:
        text += (
            f" This machine has {cores.logical} logical CPUs on {cores.physical} physical "
            "cores; the fit uses runs up to the physical count."
        )
    return text


def amdahl_headline(fit: AmdahlFit) -> str:
    """The fit in one short line, for the label itself (the full text is its description)."""
    told = " and ".join(f"{speedup:.1f}× on {n}" for n, speedup in fit.predictions().items())
    return (
        f"Amdahl's law fitted to processes × {_workers_range(fit.workers_fitted)}: "
        f"serial fraction s ≈ {format_fraction(fit.serial_fraction)} "
        f"(±{fit.rms_error:.2f}× RMS), extrapolating {told} cores."
    )


class AmdahlSummaryView(FoldedLabel):
    """Shows the serial fraction fitted after a sweep and what it predicts; hidden until then.

    At most SHOWN_LINES lines, folded with "…" past them (the whole text is its tooltip and
    accessible description); once shown it keeps the most lines it has shown, and hidden it
    keeps that space: the line shows, hides and changes its words at the end of runs, and each
    change of its height moved the charts above it, a relayout and a repaint of both charts
    (tests/perf/ui_responsiveness.py). Before it first shows it takes no room.
    """

    SHOWN_LINES = 2

    def __init__(self, cores: CoreCounts | None = None, parent: QWidget | None = None) -> None:
        super().__init__("", self.SHOWN_LINES, parent, keep_lines=True)
        self.setObjectName("amdahlSummary")
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.setAccessibleName("Amdahl's law fit")
        self.setToolTip(AMDAHL_TIP)
        self._cores = cores
        self._fit: AmdahlFit | None = None
        self._advice: str | None = None
        self.setVisible(False)

    def fit(self) -> AmdahlFit | None:
        return self._fit

    def show_advice(self, advice: str | None) -> None:
        """Without a fit: say how to get one (`advice`); None hides the line."""
        self._advice = advice
        if self._fit is None:
            self._show_advice()

    def _show_advice(self) -> None:
        advice = self._advice
        if self.text() == (advice or "") and self.isHidden() != bool(advice):
            return  # unchanged: showing it again re-lays out the charts around it (~10 ms)
        self.setText(advice or "")
        self.setAccessibleDescription(advice or "")
        self.setToolTip(f"{advice}\n\n{AMDAHL_TIP}" if advice else AMDAHL_TIP)
        if advice:
            keep_space_when_hidden(self)
        self.setVisible(bool(advice))

    def show_fit(self, fit: AmdahlFit | None) -> None:
        """Describe `fit`; None (no sweep, or too few worker counts) shows the advice on how
        to get one, if any, else hides the line."""
        self._fit = fit
        if fit is None:
            self._show_advice()
            return
        text = amdahl_summary(fit, self._cores)
        self.setText(amdahl_headline(fit))
        self.setAccessibleDescription(text)
        self.setToolTip(f"{text}\n\n{AMDAHL_TIP}")
        keep_space_when_hidden(self)
        self.setVisible(True)
