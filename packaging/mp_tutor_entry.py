"""Script frozen into the `mp-tutor` executable of the PyInstaller bundle.

`tutor.__main__.main` calls `multiprocessing.freeze_support()` before anything else: every
spawned process of the frozen app (the run helper, the pool workers, the resource tracker)
re-launches this executable, and freeze_support turns those launches into workers instead of
new copies of the app. The guard below keeps a re-import as `__mp_main__` from starting one.
"""

import sys

from tutor.__main__ import main

if __name__ == "__main__":
    sys.exit(main())
