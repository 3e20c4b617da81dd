"""CoNLL NER files: read them, turn them into spaCy ``Doc``s / ``DocBin``s, and score a pipeline.

A CoNLL file has one token a line (``word [POS ...] TAG``, columns separated by whitespace) and
a blank line between sentences; ``-DOCSTART-`` lines separate documents (CoNLL-2003). The
entity tag is the last column, in IOB2 (``B-`` opens every entity, CoNLL-2002) or IOB1
(``I-`` opens an entity unless it continues one of the same type, CoNLL-2003); both are read.
When there are three or more columns the second is the part-of-speech tag, kept in
``token.tag_``.

Scoring is entity-level and exact, as in the shared tasks' ``conlleval``: a predicted entity
counts only when its first token, last token and type all match a gold entity. The pipeline
runs on the gold tokenisation (Docs built from the file's words), never on a re-tokenised text.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Iterator, Optional, Sequence, Union

from spacy.tokens import Doc, DocBin, Span
from spacy.vocab import Vocab

PathLike = Union[str, Path]
LABELS = ("PER", "ORG", "LOC", "MISC")

# A token in this set is written without a space before it; one in NO_SPACE_AFTER without a
# space after it. Only the reconstructed text (doc.text) depends on this: tokens stay as given.
NO_SPACE_BEFORE = frozenset({",", ".", ";", ":", ")", "]", "}", "?", "!", "%", "...", "»", "'s"})
NO_SPACE_AFTER = frozenset({"(", "[", "{", "¿", "¡", "«"})


@dataclass
class Sentence:
    """One sentence of a CoNLL file: the words, their POS tags (or None) and IOB entity tags."""
    words: list[str]
    tags: list[Optional[str]]
    iob: list[str]
    spans: list[tuple[int, int, str]] = field(default_factory=list)  # (start, end exclusive, label)

    def __post_init__(self) -> None:
        if not self.spans:
            self.spans = iob_to_spans(self.iob)


def read_conll(path: PathLike, encoding: str = "latin-1") -> list[Sentence]:
    """Read a CoNLL NER file into sentences. ``encoding`` defaults to ISO-8859-1 (CoNLL-2002)."""
    return list(iter_conll(path, encoding=encoding))


def iter_conll(path: PathLike, encoding: str = "latin-1") -> Iterator[Sentence]:
    with open(path, encoding=encoding) as handle:
        yield from parse_conll(handle)


def parse_conll(lines: Iterable[str]) -> Iterator[Sentence]:
    """Parse CoNLL lines (any iterable of strings) into sentences."""
    words: list[str] = []
    tags: list[Optional[str]] = []
    iob: list[str] = []
    for number, raw in enumerate(lines, 1):
        line = raw.strip()
        if not line or line.startswith("-DOCSTART-"):
            if words:
                yield Sentence(words, tags, iob)
                words, tags, iob = [], [], []
            continue
        cols = line.split()
        if len(cols) < 2:
            raise ValueError(f"line {number}: expected 'word ... TAG', got {raw!r}")
        words.append(cols[0])
        tags.append(cols[1] if len(cols) >= 3 else None)
        iob.append(cols[-1])
    if words:
        yield Sentence(words, tags, iob)


def iob_to_spans(iob: Sequence[str]) -> list[tuple[int, int, str]]:
    """Entity spans ``(start, end, label)`` (end exclusive) from IOB2 or IOB1 tags.

    ``B-X`` always opens an entity; ``I-X`` continues the open entity when it has type X and
    opens a new one otherwise (IOB1, or a malformed IOB2 sequence, read as conlleval does)."""
    spans: list[tuple[int, int, str]] = []
    start: Optional[int] = None
    label: Optional[str] = None
    for i, tag in enumerate(list(iob) + ["O"]):
        prefix, _, kind = tag.partition("-")
        if prefix not in ("B", "I", "O", "E", "S"):
            raise ValueError(f"bad IOB tag {tag!r} at token {i}")
        continues = prefix in ("I", "E") and start is not None and kind == label
        if start is not None and not continues:
            spans.append((start, i, label))  # type: ignore[arg-type]
            start, label = None, None
        if prefix in ("B", "S") or (prefix in ("I", "E") and not continues):
            start, label = i, kind
        if prefix in ("E", "S") and start is not None:  # IOBES/BILOU endings, for tolerance
            spans.append((start, i + 1, label))  # type: ignore[arg-type]
            start, label = None, None
    return spans


def spaces_for(words: Sequence[str]) -> list[bool]:
    """Whitespace after each token: True except before closing punctuation and after opening
    punctuation; False after the last token."""
    spaces = []
    for i, word in enumerate(words):
        if i + 1 == len(words):
            spaces.append(False)
        else:
            spaces.append(not (words[i + 1] in NO_SPACE_BEFORE or word in NO_SPACE_AFTER))
    return spaces


def sentence_to_doc(vocab: Vocab, sentence: Sentence, *, with_annotation: bool = True) -> Doc:
    """A Doc with the sentence's words; with its POS tags (``tag_``), entities and one sentence
    start when ``with_annotation``."""
    doc = Doc(vocab, words=sentence.words, spaces=spaces_for(sentence.words))
    if with_annotation:
        if all(t is not None for t in sentence.tags):
            for token, tag in zip(doc, sentence.tags):
                token.tag_ = tag  # type: ignore[assignment]
        doc.set_ents([Span(doc, s, e, label=lab) for s, e, lab in sentence.spans], default="outside")
        for i, token in enumerate(doc):
            token.is_sent_start = i == 0
    return doc


def sentences_to_docs(vocab: Vocab, sentences: Iterable[Sentence], *, group: int = 1) -> list[Doc]:
    """One Doc per sentence, or per ``group`` consecutive sentences (joined with sentence starts
    kept), with annotation."""
    docs = [sentence_to_doc(vocab, s) for s in sentences]
    if group <= 1:
        return docs
    return [Doc.from_docs(docs[i:i + group]) for i in range(0, len(docs), group)]


def conll_to_docbin(path: PathLike, output: Optional[PathLike] = None, *, lang: str = "es",
                    encoding: str = "latin-1", group: int = 1, limit: Optional[int] = None) -> DocBin:
    """Convert a CoNLL file to a DocBin (written to ``output`` when given)."""
    import spacy
    vocab = spacy.blank(lang).vocab
    sentences = read_conll(path, encoding=encoding)
    if limit is not None:
        sentences = sentences[:limit]
    docbin = DocBin(attrs=["ORTH", "TAG", "ENT_IOB", "ENT_TYPE", "SENT_START"], store_user_data=False)
    for doc in sentences_to_docs(vocab, sentences, group=group):
        docbin.add(doc)
    if output is not None:
        Path(output).parent.mkdir(parents=True, exist_ok=True)
        docbin.to_disk(output)
    return docbin


def tag_inventory(path: PathLike, encoding: str = "latin-1") -> Counter:
    """How often each POS tag occurs in a CoNLL file."""
    return Counter(t for s in iter_conll(path, encoding=encoding) for t in s.tags if t is not None)


# --- scoring ----------------------------------------------------------------------------------

def prf(gold: Iterable[tuple], predicted: Iterable[tuple]) -> dict:
    """Micro precision, recall and F1 of ``predicted`` against ``gold`` (sets of hashable
    entity keys, e.g. ``(sentence, start, end, label)``), with the counts and per-label figures
    (the label is the key's last item)."""
    gold_set, pred_set = set(gold), set(predicted)
    result = _scores(len(gold_set & pred_set), len(pred_set), len(gold_set))
    per_label = {}
    for label in sorted({k[-1] for k in gold_set | pred_set}):
        g = {k for k in gold_set if k[-1] == label}
        p = {k for k in pred_set if k[-1] == label}
        per_label[label] = _scores(len(g & p), len(p), len(g))
    result["per_label"] = per_label
    return result


def _scores(tp: int, n_pred: int, n_gold: int) -> dict:
    precision = tp / n_pred if n_pred else 0.0
    recall = tp / n_gold if n_gold else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": precision, "recall": recall, "f1": f1,
            "tp": tp, "predicted": n_pred, "gold": n_gold}


def predict_sentences(nlp, sentences: Sequence[Sentence], *, batch_size: int = 256) -> list[list[tuple[int, int, str]]]:
    """Run ``nlp``'s components on Docs built from the gold words; the entity spans per sentence."""
    docs = (sentence_to_doc(nlp.vocab, s, with_annotation=False) for s in sentences)
    return [[(e.start, e.end, e.label_) for e in doc.ents] for doc in nlp.pipe(docs, batch_size=batch_size)]


def evaluate_sentences(nlp, sentences: Sequence[Sentence], *, batch_size: int = 256) -> dict:
    gold = [(i, s, e, lab) for i, sent in enumerate(sentences) for s, e, lab in sent.spans]
    predicted = [(i, s, e, lab) for i, spans in enumerate(predict_sentences(nlp, sentences, batch_size=batch_size))
                 for s, e, lab in spans]
    result = prf(gold, predicted)
    result["sentences"] = len(sentences)
    result["tokens"] = sum(len(s.words) for s in sentences)
    return result


def evaluate_file(nlp, path: PathLike, *, encoding: str = "latin-1", batch_size: int = 256) -> dict:
    """Entity-level precision/recall/F1 (exact span and type) of ``nlp`` on a CoNLL file."""
    return evaluate_sentences(nlp, read_conll(path, encoding=encoding), batch_size=batch_size)
