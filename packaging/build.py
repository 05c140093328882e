"""Build the one-folder bundle dist/mp-tutor/ and, with --check, run its frozen smoke test.

    python packaging/build.py            # build, print what was pruned and the bundle size
    python packaging/build.py --check    # ... then run the frozen `mp-tutor --smoke-test`

Needs PyInstaller (the `package` extra) in the running Python; --check also needs psutil.
`make package` runs this with --check; tests/packaging imports it (packaging_support.py).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SPEC = ROOT / "packaging" / "mp-tutor.spec"
NAME = "mp-tutor"
SIZE_LIMIT_MIB = 185  # 178.2 MiB measured with the stdlib and numpy shipped whole (147 before)
SMOKE_WORKERS = 2  # the smoke test's run: primes up to 100,000 with 2 processes
# The run helper, N pool workers and multiprocessing's resource tracker.
MAX_CHILDREN = SMOKE_WORKERS + 2
# Libraries the host must provide: PyInstaller never bundles the GL/EGL drivers.
HOST_LIBRARIES = ("libGL.so", "libEGL.so", "libOpenGL.so", "libGLX.so")


def bundle_size(folder: Path) -> int:
    """Bytes of all files in `folder` (symlinks counted once, as links)."""
    total = 0
    for dirpath, _dirnames, filenames in os.walk(folder):
        for name in filenames:
            total += os.lstat(os.path.join(dirpath, name)).st_size
    return total


def describe_size(size: int) -> str:
    return f"{size / 2**20:.1f} MiB ({size / 1e6:.1f} MB)"


def build(dist: Path, work: Path, quiet: bool = True) -> Path:
    """Run PyInstaller on the spec from scratch; return the bundle folder."""
    try:
        import PyInstaller  # noqa: F401
    except ImportError:
        sys.exit(
            "build.py: PyInstaller is not installed in this Python; install the `package` extra "
            "(pip install -e '.[package]') or run `make package`"
        )
    bundle = dist / NAME
    shutil.rmtree(bundle, ignore_errors=True)
    shutil.rmtree(work / NAME, ignore_errors=True)
    command = [
        sys.executable,
        "-m",
        "PyInstaller",
        "--noconfirm",
        "--clean",
        f"--distpath={dist}",
        f"--workpath={work}",
        str(SPEC),
    ]
    if quiet:
        command.insert(3, "--log-level=WARN")
    subprocess.run(command, cwd=ROOT, check=True)
    if not (bundle / NAME).is_file():
        sys.exit(f"build.py: PyInstaller finished but {bundle / NAME} is missing")
    return bundle


def build_report(work: Path) -> dict:
    return json.loads((work / NAME / "pruned.json").read_text())


def summarize_pruned(pruned: list[str]) -> list[str]:
    """One line per kind of pruned file, e.g. '99 x PySide6/Qt/translations'."""
    groups: Counter[str] = Counter()
    for dest in pruned:
        parts = dest.split("/")
        if dest.startswith("PySide6/Qt/plugins/"):
            key = "/".join(parts[:4])
        elif dest.startswith("PySide6/Qt/"):
            key = "/".join(parts[:3])
        elif len(parts) == 1:
            key = "top-level libraries and links"
        else:
            key = "/".join(parts[:-1])
        groups[key] += 1
    return [f"{count:3d} x {key}" for key, count in sorted(groups.items())]


def unresolved_libraries(bundle: Path, plugin: str = "platforms/libqxcb.so") -> list[str]:
    """Libraries a Qt plugin needs that neither the bundle nor the host provides (ldd)."""
    target = bundle / "_internal" / "PySide6" / "Qt" / "plugins" / plugin
    if not target.exists() or not shutil.which("ldd"):
        return []
    internal = bundle / "_internal"
    env = dict(os.environ, LD_LIBRARY_PATH=f"{internal}:{internal / 'PySide6' / 'Qt' / 'lib'}")
    output = subprocess.run(["ldd", str(target)], env=env, capture_output=True, text=True).stdout
    return sorted({line.split()[0] for line in output.splitlines() if "not found" in line})


def bundled_system_libraries(bundle: Path) -> set[str]:
    return {path.name for path in (bundle / "_internal").glob("lib*.so*")}


@dataclass
class SmokeResult:
    returncode: int | None
    stdout: str
    stderr: str
    seconds: float
    max_children: int
    processes: dict[int, str] = field(default_factory=dict)  # every descendant seen: cmdline
    left_behind: list[int] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return (
            self.returncode == 0
            and self.max_children <= MAX_CHILDREN
            and "matches the sequential answer" in self.stdout
            and not self.left_behind
        )

    def describe(self) -> str:
        lines = [
            f"exit code {self.returncode} after {self.seconds:.1f} s; at most "
            f"{self.max_children} child processes at once (limit {MAX_CHILDREN} = "
            f"{SMOKE_WORKERS} workers + 2), {len(self.processes)} in all",
            *(f"  pid {pid}: {command}" for pid, command in sorted(self.processes.items())),
            f"stdout: {self.stdout.strip()}",
        ]
        if self.stderr.strip():
            lines.append(f"stderr: {self.stderr.strip()[-2000:]}")
        if self.left_behind:
            lines.append(f"processes still alive after the app exited: {self.left_behind}")
        return "\n".join(lines)


def run_frozen(
    executable: Path,
    args: list[str],
    timeout: float = 180,
    env: dict[str, str] | None = None,
    cwd: Path | None = None,
    runaway: int = 3 * MAX_CHILDREN,
) -> SmokeResult:
    """Run the frozen executable, sampling its process tree every few milliseconds.

    A frozen app without freeze_support() starts a new copy of itself in every worker, and each
    copy starts more: the sample shows that as a growing number of descendants.
    """
    import psutil

    with tempfile.TemporaryDirectory(prefix="mp-tutor-frozen-") as scratch:
        run_env = dict(os.environ if env is None else env)
        run_env.setdefault("QT_QPA_PLATFORM", "offscreen")
        # Keep the learner's real settings out of it.
        run_env.setdefault("MP_TUTOR_CONFIG_DIR", str(Path(scratch) / "config"))
        started = time.monotonic()
        app = subprocess.Popen(
            [str(Path(executable).absolute()), *args],
            cwd=cwd or scratch,  # outside the source tree: resources must come from the bundle
            env=run_env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        # Drain the pipes in threads so a chatty app can never block on a full pipe.
        captured = {"stdout": "", "stderr": ""}

        def drain(name: str) -> None:
            captured[name] = getattr(app, name).read()

        readers = [threading.Thread(target=drain, args=(n,)) for n in ("stdout", "stderr")]
        for reader in readers:
            reader.start()
        root = psutil.Process(app.pid)
        processes: dict[int, str] = {}
        children: dict[int, psutil.Process] = {}
        max_children = 0
        deadline = started + timeout
        while app.poll() is None and time.monotonic() < deadline:
            try:
                descendants = root.children(recursive=True)
            except psutil.Error:
                break
            live = []
            for child in descendants:
                try:
                    if child.status() == psutil.STATUS_ZOMBIE:
                        continue
                    children.setdefault(child.pid, child)
                    # Re-read: between fork and exec a child still shows its parent's command.
                    command = " ".join(child.cmdline())
                except psutil.Error:
                    continue
                if command:
                    processes[child.pid] = command
                live.append(child)
            max_children = max(max_children, len(live))
            if max_children > runaway:
                break  # runaway: stop it before it eats the machine
            time.sleep(0.005)
        if app.poll() is None:
            for child in list(children.values()):
                try:
                    child.kill()
                except psutil.Error:
                    pass
            app.kill()
        app.wait()
        for reader in readers:
            reader.join(timeout=10)
        # Every process the app started must be gone within a few seconds of its exit.
        grace = time.monotonic() + 5
        alive = [p for p in children.values() if _alive(p)]
        while alive and time.monotonic() < grace:
            time.sleep(0.1)
            alive = [p for p in alive if _alive(p)]
        for leftover in alive:
            try:
                leftover.kill()
            except psutil.Error:
                pass
        return SmokeResult(
            returncode=app.returncode,
            stdout=captured["stdout"],
            stderr=captured["stderr"],
            seconds=time.monotonic() - started,
            max_children=max_children,
            processes=processes,
            left_behind=[p.pid for p in alive],
        )


def _alive(process) -> bool:
    import psutil

    try:
        return process.is_running() and process.status() != psutil.STATUS_ZOMBIE
    except psutil.Error:
        return False


def frozen_smoke_test(bundle: Path, timeout: float = 180) -> SmokeResult:
    """The frozen `mp-tutor --smoke-test`: window, a real 2-process run, exit."""
    return run_frozen(bundle / NAME, ["--smoke-test"], timeout=timeout)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="run the frozen smoke test")
    parser.add_argument("--dist", type=Path, default=ROOT / "dist", help="default: dist/")
    parser.add_argument("--work", type=Path, default=ROOT / "build", help="default: build/")
    parser.add_argument("--verbose", action="store_true", help="show PyInstaller's INFO log")
    options = parser.parse_args(argv)

    started = time.monotonic()
    bundle = build(options.dist.resolve(), options.work.resolve(), quiet=not options.verbose)
    elapsed = time.monotonic() - started
    report = build_report(options.work.resolve())
    print(f"\nPruned {len(report['pruned'])} files the tutor never loads:")
    for line in summarize_pruned(report["pruned"]):
        print(f"  {line}")
    saved = sum(report["stripped"].values())
    print(
        f"Stripped symbols and debug info from {len(report['stripped'])} binaries: "
        f"-{saved / 2**20:.1f} MiB"
    )
    missing = [name for name in unresolved_libraries(bundle) if not name.startswith(HOST_LIBRARIES)]
    if missing:
        print(
            "WARNING: the xcb platform plugin needs libraries this machine lacks, so they are not "
            f"in the bundle: {', '.join(missing)} (Debian/Ubuntu: apt-get install "
            "libxcb-icccm4 libxcb-keysyms1 libxcb-cursor0, then rebuild)"
        )
    size = bundle_size(bundle)
    verdict = "within" if size <= SIZE_LIMIT_MIB * 2**20 else "OVER"
    print(f"Built {bundle} in {elapsed:.0f} s")
    print(f"Bundle size: {describe_size(size)}, {verdict} the {SIZE_LIMIT_MIB} MiB target")

    if not options.check:
        return 0
    print(f"\nFrozen smoke test: QT_QPA_PLATFORM=offscreen {bundle / NAME} --smoke-test")
    result = frozen_smoke_test(bundle)
    print(result.describe())
    print("Frozen smoke test " + ("passed" if result.ok else "FAILED"))
    return 0 if result.ok else 1


if __name__ == "__main__":
    sys.exit(main())
