from .site_writer import SiteWriter, register

__all__ = ["SiteWriter", "register"]
