"""Header checks of the authoring contract, and ``{static}`` covers and guest photos."""

from .authoring import register, validate_metadata

__all__ = ["register", "validate_metadata"]
