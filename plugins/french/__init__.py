from .french import format_date_fr, format_month_fr, plural_fr, register

__all__ = ["format_date_fr", "format_month_fr", "plural_fr", "register"]
