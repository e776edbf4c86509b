"""Chinese sentence-aware chunks with offsets."""
import pytest

from indexing.chunking import chunk_article, sentence_spans
from indexing.newspaper import parse_source
from indexing.readers import read_file

from .conftest import SEED

SENTENCE_END = "。！？!?；;…”’)）"


@pytest.fixture(scope="module")
def articles():
    return parse_source(read_file(SEED, SEED.name))


def test_sentences_split_on_chinese_punctuation_and_keep_closing_quotes():
    text = "他说:“今年排名第一。”随后离开!真的吗?是的;结束…"
    assert [text[s.start : s.end] for s in sentence_spans(text)] == [
        "他说:“今年排名第一。”",
        "随后离开!",
        "真的吗?",
        "是的;",
        "结束…",
    ]


def test_an_exclamation_that_closes_a_title_does_not_end_the_sentence():
    text = "她发表了《我又被奥运健儿们种草了！》一文。《谁？》是一本书!"
    assert [text[s.start : s.end] for s in sentence_spans(text)] == ["她发表了《我又被奥运健儿们种草了！》一文。", "《谁？》是一本书!"]


def test_chunks_are_sentences_with_exact_offsets(articles):
    for article in articles:
        chunks = chunk_article(article)
        assert chunks, article.title
        for chunk in chunks:
            assert article.text[chunk.start : chunk.end] == chunk.text
            assert chunk.text[-1] in SENTENCE_END, chunk.text[-10:]
        assert chunks[0].start == 0 and chunks[-1].end == len(article.text)


def test_chunk_sizes_and_one_sentence_overlap(articles):
    long_ones = [a for a in articles if len(a.text) > 600]
    assert long_ones
    for article in long_ones:
        chunks = chunk_article(article, target=400, maximum=500)
        assert len(chunks) >= 2
        assert all(len(c.text) <= 500 for c in chunks)
        assert all(len(c.text) >= 150 for c in chunks)
        assert all(len(c.text) >= 300 for c in chunks[:-1])
        for before, after in zip(chunks, chunks[1:]):
            overlap = article.text[after.start : before.end]
            assert 0 < len(overlap) < 200
            assert len(sentence_spans(overlap)) == 1  # exactly one shared sentence


def test_long_sentence_without_punctuation_is_cut(articles):
    article = articles[0]
    article.text = "很长的句子," * 200  # 1,200 characters, no sentence end
    chunks = chunk_article(article, 400, 500)
    assert all(len(c.text) <= 500 for c in chunks)
    assert chunks[-1].end == len(article.text)


def test_chunk_ids_are_content_derived(articles):
    first = [c.id for a in articles for c in chunk_article(a)]
    again = [c.id for a in articles for c in chunk_article(a)]
    assert first == again and len(set(first)) == len(first)


def test_only_a_real_headline_is_embedded_with_the_text():
    """A title made from the text's first words would weigh them twice; a real headline adds meaning."""
    from indexing.documents import SourceText
    from indexing.newspaper import parse_record

    text = "海外网1月1日电 瓦希诺德维寺发生踩踏事件，目前已造成12人死亡。警方证实了伤亡人数。"
    untitled = parse_record(SourceText("a.jsonl", text, title="", record_id="p1"), 1)
    titled = parse_record(SourceText("a.jsonl", text, title="印度寺庙踩踏", record_id="p1"), 1)
    assert untitled.title and untitled.title_derived  # still shown to readers
    assert [c.embed_text for c in chunk_article(untitled)] == [c.text for c in chunk_article(untitled)]
    assert all(c.embed_text.startswith("印度寺庙踩踏\n") for c in chunk_article(titled))
    assert {c.id for c in chunk_article(untitled)}.isdisjoint(c.id for c in chunk_article(titled))
