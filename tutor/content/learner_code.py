"""The learner's own `work(n)`: check it, save it as a real module, read its tracebacks.

Qt-free. The editor panel checks the source here before anything runs (a syntax error is shown
at its line and nothing starts), then saves it as `learner_work_<hash>.py` in a folder of its
own. The engine's custom workload imports it as `learner_work_<hash>:work` in the run's helper
process and in every worker; they get the GUI's `sys.path` (spawn passes it along), so the
folder is added there. A new name for every new source means a changed function can never be
served from a stale import cache in a long-lived process.

Nothing here runs the learner's code: compile() only parses it.
"""

from __future__ import annotations

import ast
import contextlib
import hashlib
import importlib
import os
import re
import sys
import tempfile
import warnings
from dataclasses import dataclass
from pathlib import Path

from tutor.resources import resource_path

FUNCTION_NAME = "work"
MODULE_PREFIX = "learner_work_"
KEEP_MODULES = 20  # older saved versions beyond this many are deleted
DISPLAY_NAME = "your code"


@dataclass(frozen=True)
class CodeProblem:
    """Why the source cannot run: a syntax error or a missing/unsuitable `work`."""

    line: int  # 1-based
    column: int  # 1-based; 0 when unknown
    message: str

    def text(self) -> str:
        return f"Line {self.line}: {self.message}"


@dataclass(frozen=True)
class LearnerModule:
    """A saved version of the learner's code, importable by name from `path.parent`."""

    path: Path
    module_name: str
    function_name: str = FUNCTION_NAME

    @property
    def function_spec(self) -> str:
        """What RunConfig.function takes: `module:function`."""
        return f"{self.module_name}:{self.function_name}"


def starter_source() -> str:
    """The example the editor starts with (resources/learner/work.py)."""
    return resource_path("learner", "work.py").read_text(encoding="utf-8")


def check_source(source: str, function_name: str = FUNCTION_NAME) -> CodeProblem | None:
    """None when `source` compiles and defines `function_name(n)` at module level."""
    if "\x00" in source:  # compile() names no line for it (and raises ValueError before 3.12)
        return CodeProblem(_first_null_line(source), 0, "a NUL character (\\x00) is not allowed")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # SyntaxWarnings are not errors
            tree = compile(source, DISPLAY_NAME, "exec", flags=ast.PyCF_ONLY_AST, dont_inherit=True)
            # The AST pass misses some errors (e.g. `return` outside a function): compile fully.
            compile(tree, DISPLAY_NAME, "exec", dont_inherit=True)
    except SyntaxError as exc:
        return CodeProblem(exc.lineno or 1, exc.offset or 0, _syntax_message(exc))
    except ValueError as exc:  # compile() refuses some sources outright
        return CodeProblem(1, 0, str(exc))
    except (RecursionError, MemoryError):  # e.g. "1+" 200,000 times: the parser gives up
        return CodeProblem(
            1, 0, "the code is nested or chained too deeply for Python to read: split it up"
        )
    return _check_function(tree, function_name)


def _syntax_message(exc: SyntaxError) -> str:
    kind = type(exc).__name__
    return f"{kind}: {exc.msg}"


def _first_null_line(source: str) -> int:
    return source.count("\n", 0, source.find("\x00")) + 1


def _check_function(tree: ast.Module, name: str) -> CodeProblem | None:
    found: ast.AST | None = None
    for node in tree.body:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and node.name == name:
            found = node
        elif isinstance(node, ast.Assign | ast.AnnAssign):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            if any(isinstance(t, ast.Name) and t.id == name for t in targets):
                found = node  # e.g. work = lambda n: n * 2: trust it
    if found is None:
        return CodeProblem(1, 0, f"define a function {name}(n) at the top level of your code")
    if isinstance(found, ast.AsyncFunctionDef):
        return CodeProblem(
            found.lineno, found.col_offset + 1, f"{name} must be a plain def, not async def"
        )
    if isinstance(found, ast.FunctionDef):
        args = found.args
        positional = [*args.posonlyargs, *args.args]
        required = len(positional) - len(args.defaults)
        kw_required = [
            a.arg for a, d in zip(args.kwonlyargs, args.kw_defaults, strict=True) if not d
        ]
        if (not positional and args.vararg is None) or required > 1 or kw_required:
            return CodeProblem(
                found.lineno,
                found.col_offset + 1,
                f"{name} must take exactly one argument, the number n: def {name}(n):",
            )
    return None


def module_name_for(source: str) -> str:
    digest = hashlib.sha256(source.encode("utf-8", "surrogatepass")).hexdigest()[:12]
    return f"{MODULE_PREFIX}{digest}"


def save_learner_module(
    source: str, folder: Path, function_name: str = FUNCTION_NAME
) -> LearnerModule:
    """Write `source` as `<folder>/learner_work_<hash>.py` (atomically) and return its name.

    The same source always gives the same module; older versions beyond KEEP_MODULES go.
    Raises OSError when the folder cannot be written.
    """
    _private_folder(folder)
    name = module_name_for(source)
    path = folder / f"{name}.py"
    # A file of that name is used only when it holds exactly this source: a file planted or
    # damaged under the same name must never run instead of the learner's code.
    if _holds(path, source):
        with contextlib.suppress(OSError):
            os.utime(path)  # recently used: kept by the pruning below
    else:
        handle, temporary = tempfile.mkstemp(prefix=".learner-", suffix=".tmp", dir=folder)
        try:
            with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as file:
                file.write(source)
            os.replace(temporary, path)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(temporary)
            raise
        _forget_bytecode(folder, name)
    _prune(folder, keep=path)
    return LearnerModule(path, name, function_name)


def _private_folder(folder: Path) -> None:
    """Create `folder` readable and writable by this user only (mode 0700) where modes mean
    something (POSIX); an existing folder is narrowed to 0700. OSError when that fails."""
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    if os.name == "posix" and folder.stat().st_mode & 0o077:
        folder.chmod(0o700)


def _holds(path: Path, source: str) -> bool:
    try:
        return path.read_bytes() == source.encode("utf-8", "surrogatepass")
    except OSError:
        return False


def _forget_bytecode(folder: Path, name: str) -> None:
    """Drop cached bytecode of an earlier file of that name: it could match the new file's
    size and modification time and run instead of it."""
    for cached in (folder / "__pycache__").glob(f"{name}.*.pyc"):
        with contextlib.suppress(OSError):
            cached.unlink()


def _prune(folder: Path, keep: Path) -> None:
    def mtime(path: Path) -> float:
        try:
            return path.stat().st_mtime
        except OSError:
            return 0.0

    saved = sorted(folder.glob(f"{MODULE_PREFIX}*.py"), key=mtime, reverse=True)
    for old in saved[KEEP_MODULES:]:
        if old == keep:
            continue
        with contextlib.suppress(OSError):
            old.unlink()
        for cached in (folder / "__pycache__").glob(f"{old.stem}.*.pyc"):
            with contextlib.suppress(OSError):
                cached.unlink()


def make_importable(folder: Path) -> None:
    """Put `folder` on sys.path (at the end: it can never shadow a real module).

    Spawned helper and worker processes start with a copy of this process's sys.path.
    """
    entry = str(folder)
    if entry not in sys.path:
        sys.path.append(entry)
    importlib.invalidate_caches()


_FRAME = re.compile(r'^  File "(?P<file>[^"]*)", line (?P<line>\d+)(?:, in (?P<where>.*))?$')


def _is_learner_file(file: str, module: LearnerModule) -> bool:
    return file == str(module.path) or Path(file).name == module.path.name


def error_line(traceback_text: str, module: LearnerModule) -> int | None:
    """The line of the learner's code where the traceback's innermost learner frame is."""
    line = None
    for text in traceback_text.splitlines():
        match = _FRAME.match(text)
        if match and _is_learner_file(match["file"], module):
            line = int(match["line"])
    return line


def learner_traceback(traceback_text: str, module: LearnerModule) -> str:
    """The traceback cut down to the learner's own frames, the file shown as "your code".

    The tutor's engine frames (chunking, timing) are noise to the learner. When no frame is
    in the learner's file the traceback is returned unchanged.
    """
    lines = traceback_text.rstrip("\n").splitlines()
    if error_line(traceback_text, module) is None:
        return traceback_text
    kept: list[str] = []
    index = 0
    while index < len(lines):
        text = lines[index]
        match = _FRAME.match(text)
        if match:
            # A frame is its "File" line plus the indented source lines below it.
            frame = [text]
            index += 1
            while index < len(lines) and lines[index].startswith("    "):
                frame.append(lines[index])
                index += 1
            if _is_learner_file(match["file"], module):
                where = f", in {match['where']}" if match["where"] else ""
                frame[0] = f'  File "{DISPLAY_NAME}", line {match["line"]}{where}'
                kept.extend(frame)
            continue
        kept.append(text)
        index += 1
    return "\n".join(kept)
