"""What tws-tui needs and what this machine has (TWS-6.11-8, Tools → Check dependencies).

The requirements are the package's own metadata (``importlib.metadata.requires``: what
pyproject.toml declares, the base and each extra), parsed by ``packaging``; each one is
installed with a version that fits, installed with one that does not, or missing. A
requirement whose marker rules this machine out (uvloop on Windows) is left out, and so are
the developers' extras (:data:`DEVELOPER_EXTRAS`). Beside the Python packages, the system
library the sound card needs: PortAudio, as ``sounddevice`` finds it. Every answer degrades to
"missing" with the reason, never an exception.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from importlib import metadata

from packaging.requirements import InvalidRequirement, Requirement

from tws_tui.core.values import value_class
from tws_tui.platform.install_info import DISTRIBUTION

#: The extras for working on tws-tui itself, not for running it.
DEVELOPER_EXTRAS = frozenset({"dev", "web-test"})
BASE = ""  # the extra of the base requirements


@value_class
class Dependency:
    extra: str  # BASE, or the extra that asks for it
    name: str
    wanted: str  # the versions accepted ("" any), as declared
    version: str | None  # installed, or None

    @property
    def fits(self) -> bool:
        if self.version is None:
            return False
        try:
            return Requirement(f"{self.name}{self.wanted}").specifier.contains(
                self.version, prereleases=True
            )
        except InvalidRequirement:
            return False


@value_class
class ExtraState:
    extra: str
    dependencies: tuple[Dependency, ...]

    @property
    def complete(self) -> bool:
        return all(dependency.fits for dependency in self.dependencies)


def _installed(name: str) -> str | None:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return None


def declared() -> tuple[list[str], list[str]]:
    """The requirements and the extras in the package's metadata (empty when it cannot be
    read)."""
    try:
        requires = list(metadata.requires(DISTRIBUTION) or [])
        extras = list(metadata.metadata(DISTRIBUTION).get_all("Provides-Extra") or [])
    except metadata.PackageNotFoundError:
        return [], []
    return requires, extras


def check(
    declaration: tuple[Iterable[str], Iterable[str]] | None = None,
    installed: Callable[[str], str | None] = _installed,
) -> list[ExtraState]:
    """The base, then each extra by name: its requirements and what is installed.
    ``declaration``: (requirements, extras) as the metadata says them (default: this
    package's)."""
    requires, extras = declared() if declaration is None else declaration
    extras = list(extras)
    found: dict[str, list[Dependency]] = {}
    for text in requires:
        try:
            requirement = Requirement(text)
        except InvalidRequirement:
            continue
        marker = requirement.marker
        extra = BASE
        if marker is not None and not marker.evaluate({"extra": ""}):
            named = [e for e in extras if marker.evaluate({"extra": e})]
            if not named:
                continue  # not for this machine
            extra = named[0]
        if extra in DEVELOPER_EXTRAS:
            continue
        found.setdefault(extra, []).append(
            Dependency(
                extra, requirement.name, str(requirement.specifier), installed(requirement.name)
            )
        )
    order = sorted(found, key=lambda extra: (extra != BASE, extra))
    return [ExtraState(extra, tuple(found[extra])) for extra in order]


def portaudio() -> tuple[str | None, str]:
    """(PortAudio's version or None, why not when None), as ``sounddevice`` loads it."""
    try:
        import sounddevice  # type: ignore[import-not-found,import-untyped,unused-ignore]
    except Exception as error:  # ImportError, or OSError when libportaudio is missing
        return None, str(error)
    try:
        return str(sounddevice.get_portaudio_version()[1]), ""
    except Exception as error:
        return None, str(error)
