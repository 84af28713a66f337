"""environment.yml and pyproject.toml must list the same packages at the same bounds."""

import re
import tomllib

import pytest
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


def test_read_yaml_parses_every_lexicon_as_safe_load_does(tmp_path):
    """read_yaml uses libyaml's parser (the wheels ship it); the objects must be safe_load's."""
    from cxpress.config import LEXICONS, read_yaml

    assert yaml.__with_libyaml__, "PyYAML without libyaml: read_yaml falls back to the slow parser"
    files = sorted(LEXICONS.glob("*.yml"))
    assert len(files) >= 10
    for path in files:
        assert read_yaml(path) == yaml.safe_load(path.read_text(encoding="utf-8")), path.name
    unsafe = tmp_path / "bad.yml"
    unsafe.write_text("x: !!python/object/apply:os.system ['true']\n", encoding="utf-8")
    with pytest.raises(yaml.YAMLError):
        read_yaml(unsafe)
