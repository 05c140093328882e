"""Why `if __name__ == "__main__":` matters, shown safely.

This script writes a tiny program WITHOUT the guard into a temporary folder and runs it in a
separate Python with the "spawn" start method (the default on Windows and macOS; forkserver,
Linux's default from Python 3.14, imports the main module in the same way). The spawned child
imports that program again, reaches the code that starts a process, and CPython stops it
with a RuntimeError whose message ends with the cure. Then the program WITH the guard runs
cleanly.
Run it with:  python main_guard.py
"""

import subprocess
import sys
import tempfile
import textwrap
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


def error_message(stderr: str) -> list[str]:
    """The RuntimeError's whole message, as CPython wrote it.

    The message runs from the "RuntimeError" line over the indented lines below it. It is
    kept whole on purpose: past the first sentence, CPython names the cure, the
    `if __name__ == '__main__':` idiom.
    """
    lines = stderr.splitlines()
    for index, line in enumerate(lines):
        if line.startswith("RuntimeError"):
            message = [line]
            for following in lines[index + 1 :]:
                if following.strip() and not following[:1].isspace():
                    break  # the next unindented line is no longer part of the message
                message.append(following)
            text = textwrap.dedent("\n".join(message[1:])).strip("\n")
            return [message[0].rstrip(), *(row.rstrip() for row in text.splitlines())]
    return []


if __name__ == "__main__":
    with tempfile.TemporaryDirectory() as folder:
        print("1) without the guard:", flush=True)
        result = run_script(Path(folder), "unguarded.py", UNGUARDED)
        print("   " + result.stdout.strip(), flush=True)
        found = error_message(result.stderr)
        if found:
            print("   the child failed with:", flush=True)
            for line in found:
                print(("     " + line).rstrip(), flush=True)
        else:
            print("   (no RuntimeError seen; stderr was:)\n" + result.stderr, flush=True)

        print("2) with the guard:", flush=True)
        result = run_script(Path(folder), "guarded.py", GUARDED)
        print("   " + result.stdout.strip().replace("\n", "\n   "), flush=True)
