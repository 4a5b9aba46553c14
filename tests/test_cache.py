"""The catalogue cache: used when it matches, rebuilt when it does not, never an error."""

from __future__ import annotations

import datetime as dt
import json
import multiprocessing
import os
import shutil
from pathlib import Path

import pytest
from conftest import EXAMPLES, ROOT, run_cli

from govcheck import cache
from govcheck.catalogue import load_catalogue
from govcheck.errors import RuleError

RULE = ROOT / "rules" / "governance" / "no-sro.yaml"


@pytest.fixture
def cache_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    directory = tmp_path / "cache"
    monkeypatch.setenv("GOVCHECK_CACHE_DIR", str(directory))
    monkeypatch.delenv("GOVCHECK_NO_CACHE", raising=False)
    return directory


def _entries(directory: Path) -> list[Path]:
    return sorted(directory.glob("catalogue-*.json"))


def _key(entry: Path) -> str:
    return entry.read_bytes().split(b"\n", 1)[0].split(b" ")[2].decode()


def _retitle(entry: Path, rule_id: str, title: str) -> None:
    """Rewrite a cached rule's title, keeping the entry well formed: proof of where data came from."""
    key = _key(entry)
    stored = cache.read("catalogue", key)
    for _, _, _, data in stored["rules"]:
        if data["id"] == rule_id:
            data["title"] = title
    cache.write("catalogue", key, stored)


def _same(a, b) -> None:  # type: ignore[no-untyped-def]
    assert [(r.rule, r.path, r.line, r.pattern) for r in a.rules] == [
        (r.rule, r.path, r.line, r.pattern) for r in b.rules
    ]
    assert (a.conclusions, a.conclusions_path) == (b.conclusions, b.conclusions_path)


def _extra_rules(tmp_path: Path, title: str) -> Path:
    extra = tmp_path / "extra"
    extra.mkdir(exist_ok=True)
    text = RULE.read_text(encoding="utf-8").replace("id: no-sro", "id: extra-no-sro")
    text = text.replace("title: ", f"title: {title} ", 1)
    (extra / "extra-no-sro.yaml").write_text(text, encoding="utf-8")
    return extra


def test_a_second_load_comes_from_the_cache(cache_dir: Path) -> None:
    first = load_catalogue()
    (entry,) = _entries(cache_dir)
    assert entry.read_bytes().startswith(b"govcheck-cache/1 catalogue ")
    _same(load_catalogue(), first)
    _retitle(entry, "no-sro", "Title read from the cache")
    assert load_catalogue().get("no-sro").rule.title == "Title read from the cache"


def test_a_changed_rule_file_is_a_miss(cache_dir: Path, tmp_path: Path) -> None:
    extra = _extra_rules(tmp_path, "First")
    assert load_catalogue([extra]).get("extra-no-sro").rule.title.startswith("First ")
    _extra_rules(tmp_path, "Second")
    assert load_catalogue([extra]).get("extra-no-sro").rule.title.startswith("Second ")
    assert len(_entries(cache_dir)) == 2


def test_a_changed_underscore_file_is_a_miss(cache_dir: Path, tmp_path: Path) -> None:
    extra = _extra_rules(tmp_path, "Some")
    load_catalogue([extra])
    (extra / "_notes.yaml").write_text("a: 1\n", encoding="utf-8")
    load_catalogue([extra])
    assert len(_entries(cache_dir)) == 2


def test_a_bad_rule_is_reported_not_cached(cache_dir: Path, tmp_path: Path) -> None:
    extra = _extra_rules(tmp_path, "Some")
    (extra / "broken.yaml").write_text("id: broken\n", encoding="utf-8")
    for _ in range(2):
        with pytest.raises(RuleError):
            load_catalogue([extra])
    assert _entries(cache_dir) == []


@pytest.mark.parametrize(
    "damage",
    [
        lambda raw: raw[: len(raw) // 2],  # truncated
        lambda raw: raw.replace(b'"severity":"high"', b'"severity":"low!"', 1),  # body altered
        lambda raw: b"",  # empty
        lambda raw: b"\x80\x81 not a cache\n{}",  # garbage header
    ],
    ids=["truncated", "altered", "empty", "garbage"],
)
def test_a_damaged_entry_is_rebuilt_not_trusted(cache_dir: Path, damage) -> None:  # type: ignore[no-untyped-def]
    fresh = load_catalogue()
    (entry,) = _entries(cache_dir)
    good = entry.read_bytes()
    entry.write_bytes(damage(good))
    _same(load_catalogue(), fresh)
    assert entry.read_bytes() == good


def test_a_well_formed_entry_with_wrong_content_is_rebuilt(cache_dir: Path) -> None:
    fresh = load_catalogue()
    (entry,) = _entries(cache_dir)
    key = _key(entry)
    stored = cache.read("catalogue", key)
    for value in (
        {"rules": stored["rules"][1:], "conclusions": stored["conclusions"]},  # a rule missing
        {"rules": [[*r[:3], {**r[3], "severity": "dire"}] for r in stored["rules"]], "conclusions": {}},
        {"unexpected": True},
        [1, 2, 3],
    ):
        cache.write("catalogue", key, value)
        _same(load_catalogue(), fresh)
        assert cache.read("catalogue", key) == stored


def _load_many(_: int) -> int:
    for _ in range(3):
        load_catalogue()
    return len(load_catalogue().rules)


def test_concurrent_writers_leave_one_good_entry(cache_dir: Path) -> None:
    ctx = multiprocessing.get_context("spawn")
    with ctx.Pool(4) as pool:
        counts = pool.map(_load_many, range(8))
    assert len(set(counts)) == 1
    (entry,) = _entries(cache_dir)
    assert cache.read("catalogue", _key(entry)) is not None
    assert [p.name for p in cache_dir.iterdir() if p.suffix == ".tmp"] == []


def test_no_cache_and_an_unwritable_directory_are_not_errors(
    cache_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fresh = load_catalogue()
    shutil.rmtree(cache_dir)
    monkeypatch.setenv("GOVCHECK_NO_CACHE", "1")
    _same(load_catalogue(), fresh)
    assert not cache_dir.exists()
    monkeypatch.delenv("GOVCHECK_NO_CACHE")
    blocker = tmp_path / "a-file"
    blocker.write_text("not a directory", encoding="utf-8")
    monkeypatch.setenv("GOVCHECK_CACHE_DIR", str(blocker / "cache"))
    _same(load_catalogue(), fresh)


def test_default_location_follows_xdg(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("GOVCHECK_CACHE_DIR", raising=False)
    monkeypatch.delenv("GOVCHECK_NO_CACHE", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert cache.cache_dir() == tmp_path / "govcheck"
    monkeypatch.delenv("XDG_CACHE_HOME")
    monkeypatch.setenv("HOME", str(tmp_path))
    assert cache.cache_dir() == tmp_path / ".cache" / "govcheck"
    monkeypatch.setenv("GOVCHECK_NO_CACHE", "1")
    assert cache.cache_dir() is None


def test_values_read_back_exactly_as_written(cache_dir: Path) -> None:
    value = {
        "date": dt.date(2016, 5, 20),
        "$date": "a key that looks like the date marker",
        "$$": [{"$date": dt.date(1900, 1, 1)}, None, True, 1, 1.5, "£"],
        "nested": {"list": [dt.date(2100, 12, 31), {"$x": {"$date": "2020-01-01"}}]},
    }
    cache.write("test", "k" * 64, value)
    assert cache.read("test", "k" * 64) == value
    assert cache.read("test", "j" * 64) is None
    with pytest.raises(TypeError):
        cache.write("test", "k" * 64, {"when": dt.datetime(2020, 1, 1)})


def test_old_entries_are_pruned(cache_dir: Path) -> None:
    keys = [f"{i:02d}".ljust(64, "0") for i in range(cache.KEEP + 3)]
    for i, key in enumerate(keys):
        cache.write("test", key, i)
        os.utime(cache_dir / f"test-{key[:40]}.json", (i, i))  # oldest first
    assert len(list(cache_dir.glob("test-*.json"))) == cache.KEEP
    assert cache.read("test", keys[-1]) == len(keys) - 1
    assert cache.read("test", keys[0]) is None


def test_cli_reports_are_identical_with_and_without_the_cache(cache_dir: Path) -> None:
    files = [str(p) for p in sorted(EXAMPLES.glob("*.yaml"))]
    base = {k: v for k, v in os.environ.items() if not k.startswith("GOVCHECK_")}
    cached = dict(base, GOVCHECK_CACHE_DIR=str(cache_dir))
    outputs = []
    for env in (dict(base, GOVCHECK_NO_CACHE="1"), cached, cached):
        result = run_cli("check", *files, "-f", "json", "--jobs", "1", env=env)
        assert result.returncode == 1, result.stderr
        outputs.append(result.stdout)
    assert outputs[0] == outputs[1] == outputs[2]
    assert json.loads(outputs[0])
    (entry,) = _entries(cache_dir)
    _retitle(entry, "no-sro", "Title read from the cache")
    listing = run_cli("rules", "show", "no-sro", env=cached)
    assert listing.returncode == 0 and "Title read from the cache" in listing.stdout


def test_cli_works_when_the_cache_cannot_be_written(tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a directory", encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if not k.startswith("GOVCHECK_")}
    env["GOVCHECK_CACHE_DIR"] = str(blocker / "cache")
    result = run_cli("check", str(EXAMPLES / "ngss.yaml"), "-f", "json", env=env)
    assert result.returncode == 1 and result.stderr == ""
    assert [r["programme"]["id"] for r in json.loads(result.stdout)] == ["ngss"]


def test_the_key_covers_every_module_and_rule_file(
    cache_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    package = tmp_path / "pkg"
    (package / "sub").mkdir(parents=True)
    (package / "cache.py").write_text("# top\n", encoding="utf-8")
    (package / "sub" / "facts.py").write_text("A = 1\n", encoding="utf-8")
    rules = tmp_path / "rules"
    (rules / "deep").mkdir(parents=True)
    (rules / "deep" / "_base.yaml").write_text("a: 1\n", encoding="utf-8")
    monkeypatch.setattr(cache, "__file__", str(package / "cache.py"))
    keys = {cache.files_key([], [rules])}
    (package / "sub" / "facts.py").write_text("A = 2\n", encoding="utf-8")
    keys.add(cache.files_key([], [rules]))
    (rules / "deep" / "_base.yaml").write_text("a: 2\n", encoding="utf-8")
    keys.add(cache.files_key([], [rules]))
    (rules / "deep" / "_base.yaml").rename(rules / "deep" / "_other.yaml")
    keys.add(cache.files_key([], [rules]))
    assert len(keys) == 4 and None not in keys
