"""The maintainer tasks: a test run never installs anything on the machine."""

from __future__ import annotations

import pytest

import tasks


def test_the_test_task_installs_nothing_and_names_what_is_missing(monkeypatch):
    assert tasks.system_deps not in tasks.test.pre  # apt-get belongs to make install only
    ran = []
    monkeypatch.setattr(tasks, "missing_debian_packages", lambda: ["openssh-server"])
    with pytest.raises(SystemExit, match="openssh-server ; lancez make install"):
        tasks.test.body(type("Context", (), {"run": lambda self, *a, **k: ran.append(a)})())
    assert ran == []


def test_the_system_step_runs_apt_get_only_when_a_package_is_missing(monkeypatch):
    ran = []
    context = type("Context", (), {"run": lambda self, command, **k: ran.append(command)})()
    monkeypatch.setattr(tasks, "missing_debian_packages", lambda: [])
    tasks.system_deps.body(context)
    assert ran == []
    monkeypatch.setattr(tasks, "missing_debian_packages", lambda: ["rsync", "openssh-server"])
    tasks.system_deps.body(context)
    assert ran[-1].endswith("apt-get install -y -qq --no-install-recommends rsync openssh-server")
