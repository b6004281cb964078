"""The discovery record reader: strict parse when the XML is sound, a tolerant linear scanner
when it is not — and both read the same records from a sound document."""

from __future__ import annotations

from xml.sax.saxutils import escape

from hypothesis import given
from hypothesis import strategies as st

from crawler.pages.xmlrecords import decode, read_records, scan_records

ITEM = frozenset({"item"})
FIELDS = frozenset({"link", "guid", "pubDate"})
BASE = "https://www.themoscowtimes.com"

values = st.text(st.characters(blacklist_categories=("Cs", "Cc")), max_size=40).map(str.strip)
items = st.lists(st.fixed_dictionaries({}, optional={"link": values, "guid": values,
                                                      "pubDate": values}), max_size=6)


def rss(records: list[dict[str, str]], cdata: bool = False) -> str:
    def field(name: str, value: str) -> str:
        body = f"<![CDATA[{value}]]>" if cdata else escape(value)
        return f"<{name}>{body}</{name}>"
    inner = "".join("<item><title>T &amp; U</title>"
                    + "".join(field(k, v) for k, v in record.items()) + "</item>"
                    for record in records)
    return (f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><link>{BASE}'
            f"</link><image><url>{BASE}/logo.png</url></image>{inner}</channel></rss>")


@given(items)
def test_the_scanner_reads_what_the_strict_parser_reads(records: list[dict[str, str]]) -> None:
    doc = rss(records)
    strict = read_records(doc.encode(), ITEM, FIELDS)
    assert strict == records
    assert scan_records(doc, ITEM, FIELDS) == records


@given(items.filter(lambda rs: all("]]>" not in v and "<" not in v for r in rs
                                   for v in r.values())))
def test_cdata_fields(records: list[dict[str, str]]) -> None:
    assert scan_records(rss(records, cdata=True), ITEM, FIELDS) == records


@given(st.text(max_size=2000))
def test_the_scanner_never_raises(text: str) -> None:
    for record in scan_records(text, ITEM, FIELDS):
        assert set(record) <= FIELDS


@given(st.binary(max_size=400))
def test_decode_never_raises(body: bytes) -> None:
    decode(b'<?xml version="1.0" encoding="idna"?>' + body)
    decode(b'<?xml version="1.0" encoding="rot13"?>' + body)
    decode(body)


def test_broken_document_keeps_records_on_both_sides_of_the_damage() -> None:
    doc = (f"<rss><channel><item><link>{BASE}/a-a1</link></item>"
           f"<item><title>Syria & Turkey</title><link>{BASE}/b-a2?x=1&amp;y=2</link>"
           "<item><link>   </link><guid>g</guid>"  # unclosed, then an unclosed one
           f"<item><link><![CDATA[{BASE}/c-a3]]></link><pubDate>Mon</pubDate></item>"
           "</channel>").encode()
    assert read_records(doc, ITEM, FIELDS) == [
        {"link": f"{BASE}/a-a1"}, {"link": f"{BASE}/b-a2?x=1&y=2"}, {"link": "", "guid": "g"},
        {"link": f"{BASE}/c-a3", "pubDate": "Mon"}]


def test_prefixed_names_self_closed_records_and_first_value_wins() -> None:
    doc = ('<urlset xmlns:news="n"><url><loc>A</loc><loc>B</loc><news:news>'
           "<news:publication_date>2026-01-01</news:publication_date></news:news></url>"
           '<url/><url rel="x"/><url><loc>C & D</loc></url></urlset>')
    assert scan_records(doc, {"url"}, {"loc", "publication_date"}) == [
        {"loc": "A", "publication_date": "2026-01-01"}, {"loc": "C & D"}]


def test_entities_beyond_character_references_are_never_expanded(tmp_path) -> None:  # type: ignore[no-untyped-def]
    secret = tmp_path / "secret.txt"
    secret.write_text("CANARY")
    doc = (f'<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY x SYSTEM "file://{secret}">]>'
           "<rss><item><link>&x;</link></item><item><link>& broken</link></item></rss>")
    assert "CANARY" not in repr(read_records(doc.encode(), ITEM, FIELDS))


def test_declared_and_bom_encodings() -> None:
    russian = "<rss><item><link>https://ru.example/новости</link></item></rss>"
    declared = '<?xml version="1.0" encoding="windows-1251"?>' + russian + "<"
    assert read_records(declared.encode("cp1251"), ITEM, FIELDS) == [
        {"link": "https://ru.example/новости"}]
    broken_utf16 = ("\ufeff" + russian + "<").encode("utf-16-le")
    assert read_records(broken_utf16, ITEM, FIELDS) == [{"link": "https://ru.example/новости"}]
