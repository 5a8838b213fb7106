"""One-command deploy of the built site to S3, rsync or GitHub Pages, behind gates.

Public API (used by ``tasks.py`` and ``python -m deploy``)::

    config = load_config(settings, os.environ)      # DeployConfigError: one line, what to set
    problems = run_gates("output", config)           # [] means the build may go out
    summary = deploy("output", config, dry_run=False, force=False)   # GateError, DeployError
    summary = rollback(config)                       # the previous deploy, back online
    forget(config, "2021/03/retracted/")             # a takedown: online and every kept deploy

Settings are listed in ``deploy.config.SETTINGS``.
"""

from deploy.config import SETTINGS, DeployConfig, DeployConfigError, DeployError, load_config
from deploy.core import GateError, deploy, forget, rollback, run_gates
from deploy.gates import GateProblem
from deploy.plan import DeploySummary, Plan

__all__ = [
    "SETTINGS",
    "DeployConfig",
    "DeployConfigError",
    "DeployError",
    "DeploySummary",
    "GateError",
    "GateProblem",
    "Plan",
    "deploy",
    "forget",
    "load_config",
    "rollback",
    "run_gates",
]
