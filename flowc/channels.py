"""Markers a state field's annotation can carry besides its reducer: :data:`Untracked`.

``Annotated[Resource, Untracked]`` declares a field no checkpoint stores (see
:mod:`flowc.runtime.channels`, where it lives so that every layer can read it).
"""

from __future__ import annotations

from flowc.runtime.channels import Untracked, is_untracked

__all__ = ["Untracked", "is_untracked"]
