"""Importers: data from outside govcheck's own format.

`gmpp_*` turn published GMPP releases into programme descriptions (`govcheck import gmpp`);
`schedule/` reads a programme's own schedule files (MS Project XML, P6 XER) as evidence for the
description that names them.

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
