from .assets import bundle_css, register

__all__ = ["bundle_css", "register"]
