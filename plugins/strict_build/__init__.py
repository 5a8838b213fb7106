from .strict_build import ProblemCounter, register

__all__ = ["ProblemCounter", "register"]
