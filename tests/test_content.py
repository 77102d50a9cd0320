"""The content file holds the whole seed article, and bad YAML is reported well."""
import re

from conftest import ROOT, SEED, run
from leaflets.content import load_leaflet
from leaflets.markup import plain_text

# The editor's fixes listed in the commit message: seed text → content text.
FIXES = {
    "out a lot of emphasis": "puts a lot of emphasis",
    "Navigating Potential Side Effects and Con Comprehending": "Navigating Potential Side Effects and Considerations",
    "Trained\u00a0 Botox Practitioner": "Trained BOTOX Practitioner",
    "Understanding How BOTOX helps with Migraines:": "Understanding How BOTOX Helps with Migraines",
    "Allergic Reactions.": "Allergic reactions.",
    # not an edit: the first line is split into the title and the subtitle
    "BOTOX for Migraines: Benefits": "BOTOX for Migraines Benefits",
}


def _sentences(text: str) -> list[str]:
    text = re.sub(r"\s+", " ", text.replace("·", " ")).strip()
    parts = re.split(r"(?<=[.?!:…])\s+|\s(?=\d\. )", text)
    return [p.strip() for p in parts if len(p.strip()) > 3]


def test_every_sentence_of_the_seed_is_in_the_content():
    seed = SEED.read_text(encoding="utf-8")
    for old, new in FIXES.items():
        assert old in seed
        seed = seed.replace(old, new)
    leaflet = load_leaflet(ROOT / "content" / "botox-migraines.yaml")
    content = " ".join(plain_text(u.text) for u in leaflet.units())
    content = re.sub(r"\s+", " ", content)
    missing = []
    for sentence in _sentences(seed):
        sentence = re.sub(r"^\d\. ", "", sentence)
        if sentence not in content:
            missing.append(sentence)
    assert missing == []


def test_units_in_document_order_with_unique_keys():
    leaflet = load_leaflet(ROOT / "content" / "botox-migraines.yaml")
    units = leaflet.units()
    keys = [u.key for u in units]
    assert len(keys) == len(set(keys))
    assert [u.line for u in units] == sorted(u.line for u in units)
    assert keys[0] == "title" and keys[-1] == "summary.text"


def test_broken_yaml_gives_file_and_line(project):
    path = project / "content" / "botox-migraines.yaml"
    lines = path.read_text(encoding="utf-8").splitlines()
    lines[20] = "  - key: [unclosed"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    code, out, err = run(project, "build")
    assert code == 1
    assert err.count("\n") == 1, err
    assert re.match(r"error: content/botox-migraines\.yaml:2\d: YAML syntax error", err), err


def test_missing_field_gives_file_and_line(project):
    path = project / "content" / "botox-migraines.yaml"
    text = path.read_text(encoding="utf-8").replace("          title: Optimal Dosage\n", "")
    path.write_text(text, encoding="utf-8")
    code, _, err = run(project, "extract")
    assert code == 1
    assert re.match(r"error: content/botox-migraines\.yaml:\d+: missing 'title'", err), err


def test_unknown_tag_in_content_is_refused(project):
    path = project / "content" / "botox-migraines.yaml"
    text = path.read_text(encoding="utf-8").replace("<b>Diminishing Sensitivity:</b>",
                                                    "<font color=red>Diminishing</font>")
    path.write_text(text, encoding="utf-8")
    code, _, err = run(project, "extract")
    assert code == 1 and "not allowed" in err and "botox-migraines.yaml:" in err


def test_usage_error_exits_2(project):
    code, _, err = run(project, "build", "--no-such-option")
    assert code == 2
    code, _, _ = run(project, "frobnicate")
    assert code == 2
