"""environment.yml and pyproject.toml must list the same packages at the same bounds."""

import re
import tomllib

import yaml

from cxpress.config import ROOT


def _name(req: str) -> str:
    return re.split(r"[<>=!~\[; ]", req.strip(), maxsplit=1)[0].lower().replace("_", "-")


def test_environment_yml_matches_pyproject():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    wanted = {r.replace(" ", "") for r in project["dependencies"] + project["optional-dependencies"]["dev"]}
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    pip = next(d["pip"] for d in env["dependencies"] if isinstance(d, dict) and "pip" in d)
    listed = {p.replace(" ", "") for p in pip if not p.startswith("-e")}
    assert {_name(r) for r in listed} == {_name(r) for r in wanted}, "same package names"
    assert listed == wanted, f"bounds differ: {sorted(listed ^ wanted)}"
