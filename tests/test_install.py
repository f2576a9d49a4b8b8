"""Installed, symconv works: a built wheel in a fresh virtual environment (no system
site-packages) resolves beside ``hydra-core>=1.3``, reads LaTeX and runs every shipped
derivation; the sdist carries what the test command needs.

The venv test needs PyPI (CI has it); pip's own cache keeps repeated runs fast.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tarfile
import venv
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def fresh(tmp_path_factory):
    """A fresh venv (no system site-packages) with the build backend pyproject.toml asks for."""
    root = tmp_path_factory.mktemp("install")
    env_dir = root / "venv"
    venv.EnvBuilder(with_pip=True, system_site_packages=False).create(env_dir)
    bindir = env_dir / ("Scripts" if sys.platform == "win32" else "bin")
    _pip(bindir, "setuptools>=77")
    # the sdist is built from a copy of the tracked files (nothing is written into the
    # checkout), and the wheel from the unpacked sdist: what a user installing it gets
    tracked = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True)
    copy = root / "checkout"
    for name in filter(None, tracked.stdout.decode().split("\0")):
        if (ROOT / name).is_file():
            (copy / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / name, copy / name)
    sdist = _build(bindir, "sdist", root, copy)
    with tarfile.open(sdist) as tar:
        tar.extractall(root / "unpacked", filter="data")
    (unpacked,) = (root / "unpacked").iterdir()
    return root, bindir, sdist, unpacked


#: the venv sees only what is installed in it: not the checkout (PYTHONPATH) of the test run
CLEAN = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME")}


def _pip(bindir: Path, *args: str) -> None:
    done = subprocess.run([str(bindir / "python"), "-m", "pip", "install", "-q",
                           "--disable-pip-version-check", *args],
                          capture_output=True, text=True, timeout=600, env=CLEAN)
    assert done.returncode == 0, done.stderr[-3000:]


def _build(bindir: Path, kind: str, dest: Path, src: Path) -> Path:
    code = f"import sys; from setuptools import build_meta as b; print(b.build_{kind}(sys.argv[1]))"
    done = subprocess.run([str(bindir / "python"), "-c", code, str(dest)], cwd=src,
                          capture_output=True, text=True, timeout=300, env=CLEAN)
    assert done.returncode == 0, done.stderr[-2000:]
    return dest / done.stdout.strip().splitlines()[-1]


def test_wheel_installs_beside_hydra_and_works_installed(fresh):
    tmp_path, bindir, _, unpacked = fresh
    wheel = _build(bindir, "wheel", tmp_path, unpacked)
    import zipfile
    with zipfile.ZipFile(wheel) as whl:     # the metadata says MIT: its text ships too
        assert any(n.endswith(".dist-info/licenses/LICENSE") for n in whl.namelist())
    _pip(bindir, str(wheel), "hydra-core>=1.3")
    pip_list = subprocess.run([str(bindir / "python"), "-m", "pip", "list", "--format", "json"],
                              capture_output=True, text=True, check=True, env=CLEAN).stdout
    versions = {p["name"].lower(): p["version"] for p in json.loads(pip_list)}
    assert versions["hydra-core"].split(".")[:2] >= ["1", "3"] and "latex2sympy2" not in versions
    assert versions["antlr4-python3-runtime"].startswith("4.9.")     # omegaconf's pin, shared
    # run outside the checkout, so nothing of it is on the path
    check = subprocess.run([str(bindir / "symconv"), "check", r"o = \frac{i-k}{s}+1", "--json"],
                           cwd=tmp_path, capture_output=True, text=True, timeout=120, env=CLEAN)
    assert check.returncode == 1 and json.loads(check.stdout)["counterexample"] == {"i": 2, "k": 1, "s": 2}
    hydra = subprocess.run([str(bindir / "python"), "-c", "import hydra, omegaconf, symconv; "
                            "print(symconv.parse_latex(r'o = \\lfloor i/2 \\rfloor'))"],
                           cwd=tmp_path, capture_output=True, text=True, timeout=120, env=CLEAN)
    assert hydra.stdout.strip() == "Eq(o, floor(i/2))", hydra.stderr
    derive = subprocess.run([str(bindir / "symconv"), "derive", "--all", "--json"], cwd=tmp_path,
                            capture_output=True, text=True, timeout=300, env=CLEAN)
    assert derive.returncode == 0, derive.stderr
    names = {d["name"] for d in json.loads(derive.stdout)["derivations"]}
    assert {"round_trip", "tf_same", *(f"dv{n}" for n in range(1, 16))} <= names


def test_sdist_carries_the_test_command(fresh):
    _, _, sdist, _ = fresh
    with tarfile.open(sdist) as tar:
        names = {n.split("/", 1)[1] for n in tar.getnames() if "/" in n}
    tracked = subprocess.run(["git", "ls-files", "tests", "docs", "derivations", "symconv", "README.md",
                              "pyproject.toml", "LICENSE"], cwd=ROOT, capture_output=True, text=True)
    if tracked.returncode != 0:
        pytest.skip("not a git checkout")
    missing = sorted(set(tracked.stdout.split()) - names)
    assert not missing, missing
