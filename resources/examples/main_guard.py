"""Why `if __name__ == "__main__":` matters, shown safely.

This script writes a tiny program WITHOUT the guard into a temporary folder and runs it in a
separate Python with the "spawn" start method (the default on Windows and macOS). The spawned
child imports that program again, reaches the code that starts a process, and CPython stops
it with a RuntimeError. Then the same program WITH the guard runs cleanly.
Run it with:  python main_guard.py
"""

import subprocess
import sys
import tempfile
from pathlib import Path

UNGUARDED = """\
import multiprocessing
import os

def greet():
    print("hello from child", os.getpid(), flush=True)

# No guard: this line also runs when a spawned child imports the file.
process = multiprocessing.get_context("spawn").Process(target=greet)
process.start()
process.join()
print("unguarded parent finished; child exit code", process.exitcode, flush=True)
"""

GUARDED = """\
import multiprocessing
import os

def greet():
    print("hello from child", os.getpid(), flush=True)

if __name__ == "__main__":
    process = multiprocessing.get_context("spawn").Process(target=greet)
    process.start()
    process.join()
    print("guarded parent finished; child exit code", process.exitcode, flush=True)
"""


def run_script(folder: Path, name: str, code: str) -> subprocess.CompletedProcess:
    script = folder / name
    script.write_text(code, encoding="utf-8")
    return subprocess.run(
        [sys.executable, str(script)],
        cwd=folder,
        capture_output=True,
        text=True,
        timeout=60,  # a safety net: this never loops, but never wait forever either
    )


def error_lines(stderr: str) -> list[str]:
    """The RuntimeError line of a traceback plus the message lines that follow it."""
    lines = stderr.splitlines()
    for index, line in enumerate(lines):
        if line.startswith("RuntimeError"):
            return [text.strip() for text in lines[index : index + 4] if text.strip()]
    return []


if __name__ == "__main__":
    with tempfile.TemporaryDirectory() as folder:
        print("1) without the guard:", flush=True)
        result = run_script(Path(folder), "unguarded.py", UNGUARDED)
        print("   " + result.stdout.strip(), flush=True)
        found = error_lines(result.stderr)
        if found:
            print("   the child failed with:", flush=True)
            for line in found:
                print("     " + line, flush=True)
        else:
            print("   (no RuntimeError seen; stderr was:)\n" + result.stderr, flush=True)

        print("2) with the guard:", flush=True)
        result = run_script(Path(folder), "guarded.py", GUARDED)
        print("   " + result.stdout.strip().replace("\n", "\n   "), flush=True)
