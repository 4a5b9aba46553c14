"""Importers: published data about programmes in, programme descriptions (YAML) out.

`IMPORTERS` maps each importer's name (the word after `govcheck import`) to the module that
holds its click command, named `command`; `govcheck.importers.command` builds the `import`
group from it, loading a module only when its importer is used.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

IMPORTERS: Mapping[str, str] = MappingProxyType(
    {
        "gmpp": "govcheck.importers.gmpp_command",
    }
)
