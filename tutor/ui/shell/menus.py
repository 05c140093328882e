"""The main window's menus and keys: File, View, Run and Help.

Every key the window answers to is a QAction here (also added to the window itself, so keys work
while the menu bar is hidden or native), which gives each key one owner, a menu entry that shows
it, and a row in Help → Keyboard shortcuts, generated from these very actions.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QAction, QActionGroup, QKeySequence, QShortcut
from PySide6.QtWidgets import QMenu, QPushButton, QToolBar

from tutor.ui.dialogs.shortcuts_dialog import ShortcutsDialog
from tutor.ui.shell.export_actions import ExportActions
from tutor.ui.shell.menu_entries import MENU_ENTRIES, Keys
from tutor.ui.shell.theme import THEMES, ThemeController
from tutor.ui.shell.zoom import WindowZoom

if TYPE_CHECKING:
    from tutor.ui.shell.window_parts import MenuHost


def _key_sequences(keys: Keys) -> list[QKeySequence]:
    if keys is None:
        return []
    if isinstance(keys, str | QKeySequence.StandardKey):
        keys = [keys]
    sequences: list[QKeySequence] = []
    for key in keys:
        if isinstance(key, QKeySequence.StandardKey):
            found = QKeySequence.keyBindings(key)
        else:
            found = [QKeySequence(key)]
        for sequence in found:
            if not sequence.isEmpty() and sequence not in sequences:
                sequences.append(sequence)
    return sequences


class MainMenus(QObject):
    """Builds the menu bar and its actions on the main window and carries them out."""

    def __init__(self, window: MenuHost) -> None:
        super().__init__(window)
        self._window = window
        self.actions: dict[str, QAction] = {}
        self.export = ExportActions(window, window.settings)
        self.theme = ThemeController(window.settings, self)
        self.theme.apply()
        # The window's zoom owns Ctrl++/-/0 now; the lesson's own keys would make them ambiguous.
        window.lesson_panel.set_zoom_keys_enabled(False)
        self.zoom = WindowZoom(window, window.lesson_panel, window.settings)
        self.zoom.zoom_changed.connect(self._fit_right_side)
        self.shortcuts_dialog: ShortcutsDialog | None = None
        self._section: tuple[int, int] | None = None  # (index, scroll value) of the last jump

        menu_bar = window.menuBar()
        menu_bar.setObjectName("mainMenuBar")
        menu_bar.setAccessibleName("Main menu")
        self._build_file_menu(menu_bar.addMenu("&File"))
        self._build_view_menu(menu_bar.addMenu("&View"))
        self._build_run_menu(menu_bar.addMenu("R&un"))
        self._build_help_menu(menu_bar.addMenu("&Help"))
        self._add_toolbar_button()

    # ----------------------------------------------------------------- building
    def _action(
        self,
        menu: QMenu,
        name: str,
        text: str,
        slot: Callable[[], object],
        keys: Keys = None,
        tip: str = "",
    ) -> QAction:
        action = QAction(text, self._window)
        action.setObjectName(name)
        sequences = _key_sequences(keys)
        if sequences:
            action.setShortcuts(sequences)
            action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        if tip:
            action.setStatusTip(tip)
            action.setToolTip(tip)
        action.triggered.connect(lambda _checked=False: slot())
        menu.addAction(action)
        self._window.addAction(action)  # keys work even while the menu bar is hidden
        self.actions[name] = action
        return action

    def _entry(self, menu: QMenu, name: str, slot: Callable[[], object]) -> QAction:
        """The action `name` with its words and keys from MENU_ENTRIES, doing `slot`."""
        entry = MENU_ENTRIES[name]
        return self._action(menu, name, entry.text, slot, entry.keys, entry.tip)

    def _build_file_menu(self, menu: QMenu) -> None:
        menu.setObjectName("fileMenu")
        export = self.export
        self._entry(menu, "saveReportAction", export.ask_save_report)
        menu.addSeparator()
        self._entry(menu, "exportCsvAction", export.ask_export_csv)
        self._entry(menu, "exportJsonAction", export.ask_export_json)
        self.chart_menu = menu.addMenu("Export c&hart")
        self.chart_menu.setObjectName("exportChartMenu")
        # Filled as it opens: with every chart, including the experiment tabs built since.
        self.chart_menu.aboutToShow.connect(self._fill_chart_menu)
        menu.addSeparator()
        quit_action = self._entry(menu, "quitAction", self._window.close)
        quit_action.setMenuRole(QAction.MenuRole.QuitRole)

    def _fill_chart_menu(self) -> None:
        """One PNG and one SVG entry per chart in the window."""
        self._window.build_all_tabs()
        menu = self.chart_menu
        menu.clear()
        for chart in self.export.charts():
            title = chart.title.split(":")[0]
            for fmt in ("png", "svg"):
                action = menu.addAction(f"{title} as {fmt.upper()}…")
                action.setObjectName(f"export-{chart.stem}-{fmt}")
                action.triggered.connect(
                    lambda _checked=False, plot=chart.plot, fmt=fmt: self.export.ask_export_chart(
                        plot, fmt
                    )
                )

    def _build_view_menu(self, menu: QMenu) -> None:
        menu.setObjectName("viewMenu")
        zoom = self.zoom
        self._entry(menu, "zoomInAction", zoom.zoom_in)
        self._entry(menu, "zoomOutAction", zoom.zoom_out)
        self._entry(menu, "zoomResetAction", zoom.reset)
        menu.addSeparator()

        metric_group = QActionGroup(self)
        combo = self._window.chart_metric
        self._metric_actions: dict[str, QAction] = {}
        for index in range(combo.count()):
            metric = combo.itemData(index)
            action = self._action(
                menu,
                f"show{metric.capitalize()}Action",
                f"Chart shows {combo.itemText(index).split(' (')[0].lower()}",
                lambda index=index: combo.setCurrentIndex(index),
                tip=f"The timing chart plots {combo.itemText(index).lower()} against workers",
            )
            action.setCheckable(True)
            metric_group.addAction(action)
            self._metric_actions[metric] = action
        combo.currentIndexChanged.connect(self._sync_metric)
        self._sync_metric()
        menu.addSeparator()

        for name, keys, text, target in (
            ("focusLessonAction", "Ctrl+1", "Go to the &lesson", self._focus_lesson),
            ("focusRunPanelAction", "Ctrl+2", "Go to the run &panel", self._focus_run_panel),
            ("focusChartsAction", "Ctrl+3", "Go to the c&harts", self._focus_charts),
            ("focusResultsAction", "Ctrl+4", "Go to the &results", self._focus_results),
        ):
            self._action(menu, name, text, target, keys, text.replace("&", ""))
        menu.addSeparator()

        appearance = menu.addMenu("&Appearance")
        appearance.setObjectName("appearanceMenu")
        theme_group = QActionGroup(self)
        for theme, text in THEMES:
            action = self._action(
                appearance,
                f"theme{theme.capitalize()}Action",
                text,
                lambda theme=theme: self.theme.set_theme(theme),
                tip=f"Colours: {text.replace('&', '').lower()}",
            )
            action.setCheckable(True)
            action.setChecked(theme == self.theme.theme())
            theme_group.addAction(action)

    def _adopt(self, menu: QMenu, action: QAction) -> QAction:
        """Add a panel's own action: to `menu`, and to the window so its key works anywhere."""
        menu.addAction(action)
        self._window.addAction(action)  # keys work even while the menu bar is hidden
        self.actions[action.objectName()] = action
        return action

    def _build_run_menu(self, menu: QMenu) -> None:
        menu.setObjectName("runMenu")
        run_actions = self._window.run_panel.run_actions  # the panel enables them
        for action in run_actions.runs:
            self._adopt(menu, action)
        self._entry(menu, "exercisesAction", self._window.open_exercises)
        menu.addSeparator()
        self._adopt(menu, run_actions.cancel)

    def _build_help_menu(self, menu: QMenu) -> None:
        menu.setObjectName("helpMenu")
        self._entry(menu, "quizAction", self._window.open_quiz)
        menu.addSeparator()
        self._entry(menu, "nextSectionAction", self.next_section)
        self._entry(menu, "previousSectionAction", self.previous_section)
        menu.addSeparator()
        self._entry(menu, "shortcutsAction", self.show_shortcuts)

    def _add_toolbar_button(self) -> None:
        toolbar = self._window.findChild(QToolBar, "courseToolbar")
        button = QPushButton("Save re&port…", objectName="saveReportButton")
        button.setAccessibleName("Save report")
        button.setToolTip(
            "Save the results, the charts and the machine facts in a new folder (Ctrl+Shift+S)"
        )
        button.clicked.connect(self.actions["saveReportAction"].trigger)
        self.save_report_button = button
        if toolbar is None:
            return
        quiz = self._window.quiz_button
        before = next((a for a in toolbar.actions() if toolbar.widgetForAction(a) is quiz), None)
        if before is None:
            toolbar.addWidget(button)
        else:
            toolbar.insertWidget(before, button)

    # ----------------------------------------------------------------- keeping in step
    def _sync_metric(self, *_: object) -> None:
        action = self._metric_actions.get(self._window.chart_metric.currentData())
        if action is not None:
            action.setChecked(True)

    def _fit_right_side(self, percent: int) -> None:
        """After a zoom: the run panel as tall as it needs if that is at most a third of the
        height (else a quarter: it scrolls), the tabs below a third (a quarter when zoomed in),
        and the charts in between the rest."""
        splitter = getattr(self._window, "right_splitter", None)
        if splitter is None or splitter.count() < 3:
            return
        sizes = splitter.sizes()
        total = sum(sizes)
        if total <= 0:
            return
        need = self._window.run_panel.sizeHint().height()
        run = need if need <= total // 3 else total // 4
        bottom = total // 4 if percent > 100 else total // 3
        middle = sizes[1:-1]
        rest = max(0, total - run - bottom)
        share = sum(middle) or 1
        splitter.setSizes([run, *(rest * size // share for size in middle), bottom])

    # ----------------------------------------------------------------- lesson sections
    def next_section(self) -> str | None:
        return self._step_section(+1)

    def previous_section(self) -> str | None:
        return self._step_section(-1)

    def _step_section(self, step: int) -> str | None:
        panel = self._window.lesson_panel
        view = panel.view()
        titles = panel.section_titles()
        if not titles:
            return None
        scroll = view.verticalScrollBar().value()
        if self._section is not None and self._section[1] == scroll:
            index = self._section[0]  # still where the last jump left us (the end may be short)
        else:
            current = view.current_section()
            index = titles.index(current) if current in titles else -1
        target = max(0, min(len(titles) - 1, index + step))
        status = self._window.statusBar()
        if target == index:
            status.showMessage(
                "This is the last section." if step > 0 else "This is the first section.", 4000
            )
            return None
        panel.scroll_to_section(titles[target])
        self._section = (target, view.verticalScrollBar().value())
        view.setFocus(Qt.FocusReason.ShortcutFocusReason)
        status.showMessage(f"Section {target + 1} of {len(titles)}: {titles[target]}", 6000)
        return titles[target]

    # ----------------------------------------------------------------- focus moves
    def _focus_lesson(self) -> None:
        self._window.lesson_panel.view().setFocus(Qt.FocusReason.ShortcutFocusReason)

    def _focus_run_panel(self) -> None:
        self._window.run_panel.workload_choice.setFocus(Qt.FocusReason.ShortcutFocusReason)

    def _focus_charts(self) -> None:
        self._window.timing_chart.setFocus(Qt.FocusReason.ShortcutFocusReason)

    def _focus_results(self) -> None:
        window = self._window
        window.bottom_tabs.setCurrentWidget(window.results_table)
        window.results_table.setFocus(Qt.FocusReason.ShortcutFocusReason)

    # ----------------------------------------------------------------- help
    def show_shortcuts(self) -> ShortcutsDialog:
        """Help → Keyboard shortcuts: every key, the tabs not built yet included (their panels
        are built first, so their own keys are listed too), read afresh at each opening."""
        self._window.build_all_tabs()
        if self.shortcuts_dialog is not None:
            self.shortcuts_dialog.deleteLater()
        shortcuts = self._window.findChildren(QShortcut)
        self.shortcuts_dialog = ShortcutsDialog(
            list(self.actions.values()), shortcuts, self._window
        )
        self.shortcuts_dialog.open()
        self.shortcuts_dialog.raise_()
        return self.shortcuts_dialog
