"""tosscan diff / history: clause alignment, inline diffs, the rights delta, cosmetic changes, versions
from files, folders and git, and the renderers. Constructed pairs are edits of a real Chinese agreement
of ../shared/corpus/zh (skipped without it); the shared English series live in ../shared/corpus/versions."""

from __future__ import annotations

import json
import shutil
import subprocess

import pytest
from typer.testing import CliRunner

from tosscan.api import scan_text
from tosscan.cli import app
from tosscan.diff import compare, date_of, diff_files, history
from tosscan.diff.align import normal
from tosscan.diff.inline import inline_diff
from tosscan.render import render_diff, render_history

from . import diff_cases as cases
from .conftest import SAMPLES, SHARED, needs_corpus

HUIYU = SAMPLES / "versions" / "huiyu"
VERSIONS = SHARED / "corpus" / "versions"
runner = CliRunner()


def _ops(ops):
    return [(o.op, o.text) for o in ops if o.op != "equal"]


# --------------------------------------------------------------------------- inline


def test_inline_diff_shows_the_cut_attribute_in_chinese():
    assert _ops(inline_diff("免费的、永久的、可转让的", "免费的、可转让的")) == [("delete", "永久的、")]


def test_inline_diff_is_by_words_in_english():
    ops = inline_diff("We may use your content for any purpose.",
                      "We may use your content to train AI for any purpose.")
    assert _ops(ops) == [("insert", "to train AI ")]


@pytest.mark.parametrize("a,b", [("", "abc"), ("abc", ""), ("永久的、不可撤销的、免费的", "可撤销的、免费的"),
                                 ("The quick brown fox", "A quick red fox jumps")])
def test_inline_diff_rebuilds_both_texts(a, b):
    ops = inline_diff(a, b)
    assert "".join(o.text for o in ops if o.op != "insert") == a
    assert "".join(o.text for o in ops if o.op != "delete") == b


def test_normal_forgives_cosmetic_changes_only():
    assert normal("1.2 您同意，平台可以：") == normal("1.2  您同意,平台可以:")
    assert normal("**Your Content.** You grant us") == normal("Your Content. You grant us")
    assert normal("Last modified: Aug 12, 2026") == normal("Last modified: Aug 19, 2026")
    assert normal("see Section 18") == normal("see Section 19")
    assert normal("within 30 days") != normal("within 7 days")
    assert normal("永久的许可") != normal("许可")


def test_date_of_file_names():
    assert date_of("civitai-terms-of-service-2026-04-16.md") == "2026-04-16"
    assert date_of("x_20241017.txt") == "2024-10-17"
    assert date_of("agreement.txt") is None


# --------------------------------------------------------------------------- constructed Chinese pairs


@pytest.fixture(scope="module")
def base():
    return scan_text(cases.douban(), path="old.txt")


def _diff(base, text, name="new.txt"):
    return compare(base, scan_text(text, path=name))


@needs_corpus()
def test_identical_copy_reports_nothing(base):
    d = _diff(base, cases.douban())
    assert d.rights == [] and d.answers == [] and d.cosmetic_only
    assert {p.status for p in d.clauses} == {"unchanged"}


@needs_corpus()
def test_cosmetic_copy_reports_no_rights_change(base):
    d = _diff(base, cases.cosmetic(cases.douban()))
    assert d.rights == [] and d.answers == []
    assert d.cosmetic_only
    assert d.summary.modified == d.summary.added == d.summary.removed == 0
    assert {"whitespace", "width", "markdown"} <= set(d.summary.cosmetic_kinds)


@needs_corpus()
def test_renumbered_clauses_are_moved_not_removed_and_added(base):
    d = _diff(base, cases.renumbered(cases.douban()))
    assert d.rights == [] and d.answers == []
    assert d.summary.removed == 0 and d.summary.added == 1  # only the inserted 4.1
    renum = [p for p in d.clauses if p.status == "moved"]
    assert len(renum) >= 5 and all(p.cosmetic and p.kinds == ["renumbering"] for p in renum)
    assert any(p.old_clause.number == "4.1" and p.new_clause.number == "4.2" for p in renum)


@needs_corpus()
def test_a_moved_clause_is_moved(base):
    d = _diff(base, cases.moved(cases.douban()))
    moved = [p for p in d.clauses if p.status == "moved"]
    assert [(p.old_clause.number, p.new_clause.number, p.cosmetic) for p in moved] == [("7.5", "14.7", False)]
    assert d.summary.added == d.summary.removed == 0
    assert all(r.change == "moved" for r in d.rights) and d.answers == []


@needs_corpus()
def test_an_ai_training_sentence_inserted_into_the_licence(base):
    d = _diff(base, cases.ai_inserted(cases.douban()))
    assert [(a.question, a.old, a.new) for a in d.answers] == [("ai_training", "not_stated", "yes")]
    added = [r for r in d.rights if r.change == "added"]
    assert [r.concept for r in added] == ["ai.training"]
    assert cases.AI_SENTENCE in added[0].new[0].quote and added[0].old == []
    modified = [p for p in d.clauses if p.status == "modified"]
    assert len(modified) == 1 and _ops(modified[0].inline) == [("insert", cases.AI_SENTENCE)]


@needs_corpus()
def test_a_promise_not_to_train_is_not_training(base):
    d = _diff(base, cases.promise_inserted(cases.douban()))
    assert [r.concept for r in d.rights if r.change == "added"] == ["ai.no_training"]
    assert [(a.question, a.new) for a in d.answers] == [("ai_training", "no")]


@needs_corpus()
def test_a_licence_attribute_removed(base):
    d = _diff(base, cases.attribute_removed(cases.douban()))
    assert [(r.concept, r.change) for r in d.rights] == [("license.irrevocable", "removed")]
    r = d.rights[0]
    assert "不可撤销" in r.old[0].quote and r.old[0].clause and r.new == []
    assert [(a.question, a.old, a.new) for a in d.answers] == [("revocable", "no", "not_stated")]


# --------------------------------------------------------------------------- the sample series


def test_sample_pair_2024_2025_reports_what_users_won_back():
    d = diff_files(HUIYU / "huiyu-user-agreement-2024-03-15.txt", HUIYU / "huiyu-user-agreement-2025-03-10.txt")
    changes = {(r.concept, r.change) for r in d.rights}
    assert {("license.perpetual", "removed"), ("license.irrevocable", "removed"), ("ai.opt_out", "added")} <= changes
    assert ("perpetual", "yes", "not_stated") in {(a.question, a.old, a.new) for a in d.answers}
    moved = [p for p in d.clauses if p.status == "moved" and not p.cosmetic]
    assert [(p.old_clause.number, p.new_clause.number) for p in moved] == [("6.2", "1.3")]
    assert d.old.date == "2024-03-15" and d.new.date == "2025-03-10"
    perpetual = next(r for r in d.rights if r.concept == "license.perpetual")
    assert perpetual.old[0].clause == "3.2"


def test_sample_history_timeline():
    h = history([HUIYU])
    assert [v.date for v in h.versions] == ["2023-05-01", "2024-03-15", "2025-03-10"]
    assert h.versions[1].folded == ["2024-11-20"]  # re-published with other punctuation only
    ev = {(e.date, e.concept, e.change) for e in h.events}
    assert ("2024-03-15", "ai.training", "added") in ev
    assert ("2024-03-15", "license.limited_purpose", "removed") in ev
    assert ("2025-03-10", "license.perpetual", "removed") in ev
    assert ("2025-03-10", "ai.opt_out", "added") in ev
    track = {t.id: t.values for t in h.tracks}
    assert track["perpetual"] == ["not_stated", "yes", "not_stated"]
    assert track["ai.training"] == ["absent", "present", "present"]


def test_history_reads_each_version_once(monkeypatch):
    """Each version is scanned once, cut into clause units once and read in context once, although the
    middle ones are compared twice (as the new version, then as the old one)."""
    import collections
    import importlib

    from tosscan.api import scanner

    diff_compare = importlib.import_module("tosscan.diff.compare")  # the module; tosscan.diff.compare is the function

    counts: dict[str, collections.Counter] = {k: collections.Counter() for k in ("scan", "units", "reader")}
    sc = scanner()
    real_scan, real_units, real_reader = sc.scan_source, diff_compare.units_of, diff_compare.Reader

    def scan_source(src, lang="auto"):
        counts["scan"][src.path] += 1
        return real_scan(src, lang)

    def units_of(text, structure):
        counts["units"][text] += 1
        return real_units(text, structure)

    def reader(text, structure):
        counts["reader"][text] += 1
        return real_reader(text, structure)

    monkeypatch.setattr(sc, "scan_source", scan_source)
    monkeypatch.setattr(diff_compare, "units_of", units_of)
    monkeypatch.setattr(diff_compare, "Reader", reader)
    h = history([HUIYU])
    texts = {p.read_text(encoding="utf-8") for p in HUIYU.glob("*.txt")}
    assert len(texts) == 4 and len(h.versions) == 3  # four versions, one folded: three comparisons
    assert sorted(counts["scan"].values()) == [1, 1, 1, 1]
    assert set(counts["units"]) == texts and set(counts["units"].values()) == {1}
    assert set(counts["reader"]) == texts and set(counts["reader"].values()) == {1}


def test_history_csv_json_md_html_and_text():
    h = history([HUIYU])
    data = json.loads(render_history(h, "json"))
    assert {"versions", "events", "answer_events", "tracks"} <= set(data)
    assert {"date", "concept", "change", "quote"} <= set(data["events"][0])
    csv_text = render_history(h, "csv")
    assert csv_text.startswith("\ufeffdate,path,kind,id,change")
    assert "ai.training" in csv_text
    assert "2024-11-20" in render_history(h, "html", lang="zh")
    assert "| 是否永久？ |" in render_history(h, "md", lang="zh")
    assert "已并入" in render_history(h, "text", lang="zh")


# --------------------------------------------------------------------------- renderers


def test_diff_json_contract():
    d = diff_files(HUIYU / "huiyu-user-agreement-2023-05-01.txt", HUIYU / "huiyu-user-agreement-2024-03-15.txt")
    data = json.loads(render_diff(d, "json"))
    assert {"old", "new", "answers", "rights", "clauses", "grade"} <= set(data)
    assert {"question", "old", "new"} <= set(data["answers"][0])
    r = data["rights"][0]
    assert {"concept", "change", "old", "new"} <= set(r) and r["change"] in ("added", "removed", "changed", "moved")
    span = r["new"][0] if r["new"] else r["old"][0]
    assert {"start", "end", "clause", "quote"} <= set(span)
    text = (HUIYU / "huiyu-user-agreement-2024-03-15.txt").read_text(encoding="utf-8")
    for r in data["rights"]:
        for s in r["new"]:
            assert text[s["start"]:s["end"]] == s["quote"]
    assert {"old_clause", "new_clause", "status", "cosmetic"} <= set(data["clauses"][0])
    assert data["old"]["grade"] == "B" and data["new"]["grade"] == "E"


def test_diff_markdown_escapes_agreement_text():
    old = "用户协议\n1.1 您同意授予平台免费的许可。\n"
    new = "用户协议\n1.1 您同意授予平台免费的、永久的许可[x](javascript:alert(1))<script>。\n"
    d = compare(scan_text(old, "zh", "a.txt"), scan_text(new, "zh", "b.txt"))
    md = render_diff(d, "md")
    assert "[x](javascript" not in md and "<script>" not in md
    assert "\\[x\\](javascript" in md and "\\<script\\>" in md  # escaped, inert
    assert "永久" in md


# --------------------------------------------------------------------------- shared English series


@pytest.mark.skipif(not VERSIONS.is_dir(), reason="../shared/corpus/versions not beside the checkout")
@pytest.mark.parametrize("series,count", [("deepseek-en", 5), ("wechat-en", 10), ("civitai-en", 12)])
def test_history_over_the_shared_series(series, count):
    h = history([VERSIONS / series])
    kept = len(h.versions) + sum(len(v.folded) for v in h.versions)
    assert kept == count
    assert len(h.tracks) >= 12
    html = render_history(h, "html")
    assert "<table class=\"tl\">" in html


@pytest.mark.skipif(not VERSIONS.is_dir(), reason="../shared/corpus/versions not beside the checkout")
def test_a_version_stamp_only_change_is_folded():
    h = history([VERSIONS / "civitai-en"])
    folded = {d for v in h.versions for d in v.folded}
    assert "2026-06-17" in folded and "2026-08-20" in folded


# --------------------------------------------------------------------------- CLI and git


def test_cli_diff_formats_and_errors(tmp_path):
    a, b = HUIYU / "huiyu-user-agreement-2023-05-01.txt", HUIYU / "huiyu-user-agreement-2024-03-15.txt"
    r = runner.invoke(app, ["diff", str(a), str(b)])
    assert r.exit_code == 0 and "是否永久" in r.output
    out = tmp_path / "d.html"
    r = runner.invoke(app, ["diff", str(a), str(b), "--format", "html", "-o", str(out)])
    assert r.exit_code == 0 and "Content-Security-Policy" in out.read_text(encoding="utf-8")
    r = runner.invoke(app, ["diff", str(a), str(tmp_path / "missing.txt")])
    assert r.exit_code == 2 and "no such file" in r.output
    r = runner.invoke(app, ["diff", str(a), str(b), "-o", str(b)])
    assert r.exit_code == 2


def test_cli_history_errors(tmp_path):
    lone = tmp_path / "terms.txt"
    lone.write_text("用户协议\n1.1 您同意本协议。\n", encoding="utf-8")
    r = runner.invoke(app, ["history", str(lone)])
    assert r.exit_code == 2 and "not a file in a git repository" in r.output
    assert len(r.output.strip().splitlines()) == 1
    undated = tmp_path / "a.txt"
    undated.write_text("x", encoding="utf-8")
    r = runner.invoke(app, ["history", str(undated), str(lone)])
    assert r.exit_code == 2 and "--dates" in r.output
    r = runner.invoke(app, ["history", str(HUIYU), "--dates", "2020-01-01"])
    assert r.exit_code == 2


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_history_from_git(tmp_path):
    repo = tmp_path / "archive"
    (repo / "Huiyu").mkdir(parents=True)

    def git(*args):
        subprocess.run(["git", *args], cwd=repo, check=True, capture_output=True, timeout=30)

    git("init", "-q")
    git("config", "user.email", "t@example.invalid")
    git("config", "user.name", "t")
    target = repo / "Huiyu" / "Terms of Service.md"
    for i, name in enumerate(["2023-05-01", "2024-03-15", "2025-03-10"]):
        target.write_bytes((HUIYU / f"huiyu-user-agreement-{name}.txt").read_bytes())
        git("add", "-A")
        subprocess.run(["git", "commit", "-q", "-m", f"v{i}"], cwd=repo, check=True, capture_output=True, timeout=30,
                       env={"GIT_AUTHOR_DATE": f"{name}T12:00:00+00:00", "GIT_COMMITTER_DATE": f"{name}T12:00:00+00:00",
                            "PATH": "/usr/bin:/bin", "HOME": str(tmp_path)})
    h = history([target])
    assert [v.date for v in h.versions] == ["2023-05-01", "2024-03-15", "2025-03-10"]
    assert all(v.commit and v.path.startswith("Huiyu/Terms of Service.md@") for v in h.versions)
    assert ("2024-03-15", "ai.training", "added") in {(e.date, e.concept, e.change) for e in h.events}
    r = runner.invoke(app, ["history", str(target), "--format", "csv"])
    assert r.exit_code == 0 and "ai.training" in r.output
