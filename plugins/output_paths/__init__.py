from .output_paths import find_collisions, register

__all__ = ["find_collisions", "register"]
