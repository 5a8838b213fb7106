"""Nothing changed, nothing sent: two strict builds of the demo site are the same bytes, search
index included, so publishing the second uploads nothing and keeps the rollback chain."""

from __future__ import annotations

import pytest
from rich.console import Console

from deploy import deploy
from deploy.s3 import Buckets
from tests.conftest import ROOT, differences

pytestmark = [pytest.mark.server, pytest.mark.slow]


def test_two_builds_of_the_same_content_publish_nothing_the_second_time(
    tmp_path, pelican_cli, s3_config, seaweed
):
    outputs = []
    for number in (1, 2):
        output = tmp_path / f"build-{number}"
        built = pelican_cli(ROOT / "content", "publishconf.py", output)
        assert built.returncode == 0, built.stderr[-2000:]
        outputs.append(output)
    assert list((outputs[0] / "pagefind/filter").glob("*.pf_filter"))  # filters to compare
    assert differences(*outputs) == []  # byte for byte, Pagefind's bundle included

    first = deploy(outputs[0], s3_config, console=Console(quiet=True))
    buckets = Buckets(s3_config, seaweed.client())
    chain = buckets.manifest_ids(), buckets.read_json("current.json")
    second = deploy(outputs[1], s3_config, console=Console(quiet=True))
    assert (second.uploaded, second.deleted, second.unchanged) == (0, 0, first.uploaded)
    assert (buckets.manifest_ids(), buckets.read_json("current.json")) == chain
