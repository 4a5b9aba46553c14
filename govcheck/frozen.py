"""The base of every model passed between stages: immutable, with no unknown keys.

Reports cross from the worker processes of a batch to the main process by pickle. Pydantic's
own pickling rebuilds each model through `copyreg` and a `__setstate__` call; a report holds
dozens of models, and the main process unpickling them was a tenth of a two-job batch's work.
A Frozen model is pickled as its class, its fields and which of them were set, and rebuilt in
one call without validation, as pydantic's own unpickling does.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict


class Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    def __reduce__(self) -> tuple[Any, ...]:
        extra, private = self.__pydantic_extra__, self.__pydantic_private__
        return (_rebuilt, (type(self), self.__dict__, self.__pydantic_fields_set__, extra, private))


def _rebuilt(
    cls: type[Frozen],
    fields: dict[str, Any],
    fields_set: set[str],
    extra: dict[str, Any] | None,
    private: dict[str, Any] | None,
) -> Frozen:
    model = cls.__new__(cls)
    object.__setattr__(model, "__dict__", fields)
    object.__setattr__(model, "__pydantic_fields_set__", fields_set)
    object.__setattr__(model, "__pydantic_extra__", extra)
    object.__setattr__(model, "__pydantic_private__", private)
    return model
