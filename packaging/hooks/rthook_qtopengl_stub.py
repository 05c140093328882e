# Runtime hook of the mp-tutor bundle: a stand-in for PySide6.QtOpenGL.
#
# pyqtgraph imports PySide6.QtOpenGL at module level (pyqtgraph/Qt/OpenGLHelpers.py) but uses it
# only to draw curves with OpenGL (`useOpenGL=True`), which the tutor never turns on. The real
# binding is 8.9 MB, so the spec leaves it out and this hook answers the import with an empty
# module whose attributes raise a clear AttributeError. QtOpenGLWidgets (kept) does not need it.


def _pyi_rthook():
    import importlib.machinery
    import sys
    import types

    name = "PySide6.QtOpenGL"

    class QtOpenGLStandIn(types.ModuleType):
        def __getattr__(self, attribute):
            if attribute.startswith("__"):
                raise AttributeError(attribute)
            raise AttributeError(
                f"{name}.{attribute} is not in the mp-tutor bundle: OpenGL drawing is left out"
            )

    class StandInFinder:
        @staticmethod
        def find_spec(fullname, path=None, target=None):
            if fullname != name:
                return None
            return importlib.machinery.ModuleSpec(fullname, StandInFinder)

        @staticmethod
        def create_module(spec):
            return QtOpenGLStandIn(spec.name)

        @staticmethod
        def exec_module(module):
            pass

    # Last in line: only reached when no real QtOpenGL module can be found.
    sys.meta_path.append(StandInFinder)


_pyi_rthook()
del _pyi_rthook
