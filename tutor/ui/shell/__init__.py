"""The window's frame: the main window, its menus, zoom, theme and tab pages built on need."""
