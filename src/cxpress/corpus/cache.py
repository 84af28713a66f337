"""The parquet cache of a loaded corpus: its key (fingerprint) and how articles are written and read back."""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa

from cxpress import __version__, config

CACHE_VERSION = "2"  # 2: no years in the key, no in_range column
# The lexicons that change what load_corpus produces (term groups, sentiment, topic lists do not).
LOADER_LEXICONS = ("boilerplate.yml", "dates.yml", "stopwords_fr.txt", "mwe.yml", "elision_fr.yml",
                   "function_words.yml", "lemmas_fr.yml", "outlets.yml")
# ...and the code that does it: a changed cleaner must not be served a stale cache.
LOADER_MODULES = ("corpus.load", "corpus.ingest", "corpus.cache", "corpus.readers", "corpus.decode",
                  "corpus.europresse", "corpus.factiva", "corpus.press_exports", "corpus.outlets",
                  "corpus.webpages", "corpus.lexbor_tree", "corpus.articles", "corpus.dedup", "text.clean", "text.dates",
                  "text.date_grammar", "text.years", "text.language", "text.tokens", "text.french", "text.unicode",
                  "text.boilerplate", "text.recurring", "corpus.chrome")
TEXT_COLUMNS = ["doc_id", "source", "outlet", "outlet_family", "url", "title", "author", "date_source", "text_raw",
                "text", "lang", "dup_of",
                "encoding", "date_note"]


def corpus_fingerprint(path: str | Path, params: dict | None = None, files: list[Path] | None = None) -> str:
    """sha256 over the files' names, sizes and mtimes, the loading parameters, and the loader's
    lexicons and code (files: discover_files(path)[0] when the caller has it)."""
    from cxpress.corpus.ingest import discover_files

    path = Path(path)
    files = discover_files(path)[0] if files is None else files
    h = hashlib.sha256(f"{CACHE_VERSION}|{__version__}|{json.dumps(params or {}, sort_keys=True)}".encode())
    folder = path.is_dir()
    prefix = os.path.join(path, "")  # string slicing: Path.relative_to cost ~5 us a file
    for f in files:
        st = os.stat(f)
        name = str(f)
        if not folder:
            name = f.name
        elif name.startswith(prefix):
            name = name[len(prefix):]
        else:
            name = str(f.relative_to(path))
        h.update(f"{name}|{st.st_size}|{st.st_mtime_ns}".encode())
    package = Path(__file__).parents[1]
    for module in LOADER_MODULES:
        h.update((package / f"{module.replace('.', '/')}.py").read_bytes())
    for name in LOADER_LEXICONS:
        lex = config.LEXICONS / name
        h.update(lex.read_bytes() if lex.is_file() else b"-")
    return h.hexdigest()


def cache_paths(folder: Path, fingerprint: str) -> tuple[Path, Path]:
    """The parquet files of the articles and of the load report cached under this fingerprint."""
    articles = Path(folder) / f"corpus-{fingerprint[:20]}.parquet"
    return articles, articles.with_suffix(".report.parquet")


def normalise_dtypes(articles: pd.DataFrame) -> pd.DataFrame:
    """The dtypes a parquet round trip gives, so cached and fresh loads compare equal."""
    out = articles.astype({c: "str" for c in TEXT_COLUMNS})
    return out.astype({"date": "datetime64[ns]", "date_updated": "datetime64[ns]", "year": "Int64",
                       "n_tokens": "int64", "year_inferred": "Int64", "year_confidence": "float64"})


def arrow_pool() -> pa.MemoryPool:
    """The allocator the corpus's Arrow data (parquet, text columns) is built in. Arrow's default
    (mimalloc) keeps freed buffers for reuse: after a 50k-article corpus is read and a selection
    taken, ~250 MB more stay resident than with the system allocator, which returns large buffers
    when freed (at the same speed, measured)."""
    return pa.system_memory_pool()


@contextmanager
def arrow_memory() -> Iterator[pa.MemoryPool]:
    """Arrow allocates in arrow_pool() while the block runs, pandas included (pandas 3 keeps strings
    in Arrow and takes no pool argument); the previous default pool is restored afterwards."""
    previous = pa.default_memory_pool()
    pa.set_memory_pool(arrow_pool())
    try:
        yield arrow_pool()
    finally:
        pa.set_memory_pool(previous)


def release_arrow_memory() -> None:
    """Return memory Arrow freed to the system (malloc_trim for the system allocator)."""
    arrow_pool().release_unused()


ROWS_PER_GROUP = 20_000  # rows converted to Arrow at once: the token lists of 100k articles took 500 MB


def _write_parquet(frame: pd.DataFrame, path: Path) -> None:
    """frame as parquet, converted in arrow_pool() (DataFrame.to_parquet would use Arrow's default pool),
    ROWS_PER_GROUP rows at a time, so that only their Arrow copy exists at once."""
    import pyarrow.parquet as pq

    pool = arrow_pool()
    schema = pa.Schema.from_pandas(frame, preserve_index=False)  # keeps the pandas dtypes (Int64...)
    if "tokens" in frame:  # typed, also when no article has a token
        schema = schema.set(schema.get_field_index("tokens"), pa.field("tokens", pa.list_(pa.string())))
    with pq.ParquetWriter(path, schema, memory_pool=pool) as writer:
        for start in range(0, max(len(frame), 1), ROWS_PER_GROUP):
            part = frame.iloc[start : start + ROWS_PER_GROUP]
            arrays = [pa.array(part[c], type=schema.field(c).type, from_pandas=True, memory_pool=pool) for c in part]
            writer.write_table(pa.Table.from_arrays(arrays, schema=schema))


def _read_parquet(path: Path, columns: list[str] | None = None) -> pa.Table:
    """The table of a parquet file, memory-mapped and decoded in arrow_pool()."""
    import pyarrow.dataset as ds

    with pa.memory_map(str(path)) as source:  # read through the map: no file buffers in the default pool
        return ds.ParquetFileFormat().make_fragment(source).to_table(columns=columns, memory_pool=arrow_pool())


def write_cache(articles: pd.DataFrame, report: pd.DataFrame, folder: Path, fingerprint: str) -> None:
    """Store the articles and the load report under this fingerprint."""
    folder.mkdir(parents=True, exist_ok=True)
    articles_path, report_path = cache_paths(folder, fingerprint)
    _write_parquet(articles, articles_path)
    _write_parquet(report, report_path)
    release_arrow_memory()


def read_articles(path: Path, columns: list[str] | None = None) -> pd.DataFrame:
    """The cached article table, with token lists whose equal strings are one object.

    pandas would give each of the 15 million tokens of a 50k-article corpus its own string (~1 GB);
    dictionary-encoding the column first shares them (a pointer per token), and is faster too.
    """
    import pyarrow.compute as pc

    pool = arrow_pool()
    table = _read_parquet(path, columns)
    if "tokens" in table.column_names:
        tokens = table.column("tokens").combine_chunks(memory_pool=pool)
        articles = table.drop_columns(["tokens"]).to_pandas(memory_pool=pool)
        lengths = pc.fill_null(pc.list_value_length(tokens, memory_pool=pool), 0).to_numpy()
        encoded = pc.dictionary_encode(tokens.flatten(), memory_pool=pool)
        words = np.array(encoded.dictionary.to_pylist(), dtype=object)
        flat = words[encoded.indices.to_numpy()] if len(encoded) else np.empty(0, dtype=object)
        lists = [part.tolist() for part in np.split(flat, np.cumsum(lengths)[:-1])] if len(lengths) else []
        articles = articles.assign(tokens=lists).reindex(columns=table.column_names)
        del tokens, encoded
    else:  # columns= left the tokens out
        articles = table.to_pandas(memory_pool=pool)
    del table
    release_arrow_memory()
    return articles


def read_report(path: Path) -> pd.DataFrame:
    """The cached load report."""
    return _read_parquet(path).to_pandas(memory_pool=arrow_pool())
