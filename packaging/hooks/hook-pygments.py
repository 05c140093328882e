# Replaces PyInstaller's hook-pygments, which bundles every lexer, formatter and style (about
# 1.7 MB of bytecode). The tutor highlights lesson code with the HTML formatter and the
# "friendly" and "monokai" styles; these lexers cover the code fences a lesson may use. A fence in
# any other language is shown as plain text (tutor.content.highlight falls back on any error).
hiddenimports = [
    "pygments.formatters.html",
    "pygments.lexers.python",  # python, pycon, pytb
    "pygments.lexers.special",  # text
    "pygments.lexers.shell",  # bash, console
    "pygments.lexers.configs",  # toml, ini
    "pygments.lexers.data",  # json, yaml
    "pygments.styles.default",  # HtmlFormatter's default style
    "pygments.styles.friendly",
    "pygments.styles.monokai",
]
