from .media import enrich_images, reading_minutes, register

__all__ = ["enrich_images", "reading_minutes", "register"]
