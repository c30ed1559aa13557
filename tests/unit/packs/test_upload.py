"""Checking an uploaded pack: the validator's rules, a server pack's sources, ids, limits; the template."""

from __future__ import annotations

from bot.content import DEFAULT_CONTENT_PATH, ContentStore
from bot.packs.limits import MAX_ENTRIES, MAX_PACK_BYTES
from bot.packs.template import TEMPLATE, TEMPLATE_FILENAME
from bot.packs.upload import Owner, TakenIds, check_upload

SHIPPED = ContentStore.load(DEFAULT_CONTENT_PATH)
A_SHIPPED_FACT = SHIPPED.facts[0].id
A_SHIPPED_QUESTION = SHIPPED.questions[0].id


def pack(body: str, pack_id: str = "fan-pack") -> bytes:
    return f'[pack]\nid = "{pack_id}"\ntitle = "Fan pack"\n\n{body}'.encode()


FACT = """
[[sources]]
url = "https://example.com/a"
headline = "An article"

[[facts]]
id = "fan-fact"
text = "A fact."
topics = ["fans"]
sources = ["https://example.com/a"]
"""


def shipped_only() -> TakenIds:
    return TakenIds.of(SHIPPED.packs, ())


def messages(check) -> list[str]:
    return [str(issue) for issue in check.issues]


def test_the_template_passes_every_check() -> None:
    checked = check_upload(TEMPLATE.encode(), TEMPLATE_FILENAME, shipped_only())
    assert checked.issues == ()
    assert checked.pack is not None
    sources = {s.file: s.headline for s in checked.pack.sources}
    assert sources["https://example.com/behind-the-scenes"] == "Behind the scenes of the finale"  # a url
    assert sources["The cast's podcast, episode 12"] == "The cast's podcast, episode 12"  # a title
    assert any(f.contested for f in checked.pack.facts) and any(not f.contested for f in checked.pack.facts)
    questions = checked.pack.questions
    assert any(q.is_true_false for q in questions) and any(len(q.wrong) == 3 for q in questions)
    assert any(q.fact_id is None and not q.on_buttons for q in questions)
    assert any(q.accept for q in questions)


def test_a_good_pack_comes_back_checked_with_its_text() -> None:
    checked = check_upload(pack(FACT), "fan.toml", shipped_only())
    assert checked.issues == () and checked.pack is not None
    assert checked.pack.facts[0].sources == ("https://example.com/a",)
    assert checked.pack.sources[0].headline == "An article"
    assert checked.text.startswith("[pack]")


def test_a_source_may_be_a_title_with_no_headline() -> None:
    body = FACT.replace('url = "https://example.com/a"\nheadline = "An article"', 'title = "A book"').replace(
        'sources = ["https://example.com/a"]', 'sources = ["A book"]'
    )
    checked = check_upload(pack(body), "fan.toml", shipped_only())
    assert checked.issues == ()
    assert checked.pack is not None and checked.pack.sources[0].headline == "A book"


def test_every_problem_is_listed_with_its_entry_and_field() -> None:
    body = FACT.replace('url = "https://example.com/a"', 'url = "not a url"')
    body = body.replace('topics = ["fans"]', "topics = []")
    body += '\n[[questions]]\nid = "q"\nfact = "fan-fact"\nprompt = "?"\nanswer = "A"\nwrong = ["A"]\n'
    checked = check_upload(pack(body), "fan.toml", shipped_only())
    assert checked.pack is None
    found = messages(checked)
    assert any("source not a url: field 'url': 'not a url' is not a web address" in m for m in found)
    assert any("fact fan-fact: field 'topics'" in m for m in found)
    assert any("question q: field 'wrong': repeats the answer 'A'" in m for m in found)
    assert any("question q: field 'explanation': missing" in m for m in found)


def test_a_source_needs_exactly_one_name() -> None:
    body = FACT.replace('url = "https://example.com/a"', 'url = "https://example.com/a"\ntitle = "Also a title"')
    found = messages(check_upload(pack(body), "fan.toml", shipped_only()))
    assert any("field 'title': give one of `file`, `url` or `title`, not `url` and `title`" in m for m in found)
    body = FACT.replace('url = "https://example.com/a"\n', "")
    found = messages(check_upload(pack(body), "fan.toml", shipped_only()))
    assert any("field 'file': missing: name the source by its `file`, `url` or `title`" in m for m in found)


def test_the_contested_rule_still_holds() -> None:
    cited = 'sources = ["https://example.com/a"]'
    body = FACT.replace(cited, cited + '\ncontested = "A vs B"')
    body += (
        '\n[[questions]]\nid = "q-fan"\nfact = "fan-fact"\nprompt = "Which?"\nanswer = "A"\nwrong = ["B"]\n'
        'explanation = "A."\ndifficulty = "easy"\n'
    )
    found = messages(check_upload(pack(body), "fan.toml", shipped_only()))
    assert any("question q-fan: field 'about_dispute'" in m for m in found)


def test_a_question_tests_a_fact_of_its_own_pack() -> None:
    body = FACT + (
        f'\n[[questions]]\nid = "q-fan"\nfact = "{A_SHIPPED_FACT}"\nprompt = "Which?"\nanswer = "A"\nwrong = ["B"]\n'
        'explanation = "A."\ndifficulty = "easy"\n'
    )
    found = messages(check_upload(pack(body), "fan.toml", shipped_only()))
    assert any("a server pack's questions test its own facts" in m for m in found)


def test_ids_of_the_shipped_packs_are_refused_with_the_reason() -> None:
    body = FACT.replace('id = "fan-fact"', f'id = "{A_SHIPPED_FACT}"')
    found = messages(check_upload(pack(body, SHIPPED.packs[0].id), "fan.toml", shipped_only()))
    assert any(f"pack id '{SHIPPED.packs[0].id}' is used by the shipped pack" in m for m in found)
    clash = f"fact {A_SHIPPED_FACT}: field 'id': fact id '{A_SHIPPED_FACT}' is used by the shipped pack"
    assert any(clash in m for m in found)
    assert all("choose another id" in m for m in found)


def test_ids_of_the_servers_other_packs_are_refused_but_a_replaced_pack_keeps_its_own() -> None:
    first = check_upload(pack(FACT, "first"), "first.toml", shipped_only()).pack
    assert first is not None
    taken = TakenIds.of(SHIPPED.packs, [first])
    assert check_upload(pack(FACT, "first"), "first.toml", taken).issues == ()  # the replacement
    found = messages(check_upload(pack(FACT, "second"), "second.toml", taken))
    assert any("fact id 'fan-fact' is used by this server's pack 'first'" in m for m in found)
    assert str(Owner("first", shipped=False)) == "this server's pack 'first'"


def test_a_shared_source_keeps_one_headline() -> None:
    first = check_upload(pack(FACT, "first"), "first.toml", shipped_only()).pack
    taken = TakenIds.of(SHIPPED.packs, [first])
    other = FACT.replace('headline = "An article"', 'headline = "Another headline"').replace("fan-fact", "other")
    found = messages(check_upload(pack(other, "second"), "second.toml", taken))
    assert any("field 'headline': differs from the headline this server's pack 'first' gives" in m for m in found)


def test_size_and_entry_limits() -> None:
    too_big = pack(FACT) + b"#" * MAX_PACK_BYTES
    found = messages(check_upload(too_big, "big.toml", shipped_only()))
    assert found == [f"big.toml: file: is too large ({len(too_big) / 1024:.1f} KiB; a pack is at most 256 KiB)"]
    facts = "".join(
        f'\n[[facts]]\nid = "f{n}"\ntext = "A fact."\ntopics = ["fans"]\nsources = ["https://example.com/a"]\n'
        for n in range(MAX_ENTRIES + 1)
    )
    body = '[[sources]]\nurl = "https://example.com/a"\nheadline = "An article"\n' + facts
    found = messages(check_upload(pack(body), "many.toml", shipped_only()))
    assert found == [f"many.toml: pack: has {MAX_ENTRIES + 1} facts and questions; a server pack holds at most 500"]


def test_text_that_is_not_toml_or_not_utf8() -> None:
    assert "invalid TOML" in messages(check_upload(b"[pack", "x.toml", shipped_only()))[0]
    assert "is not UTF-8 text" in messages(check_upload(b"\xff\xfe", "x.toml", shipped_only()))[0]
