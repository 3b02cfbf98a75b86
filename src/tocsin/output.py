"""Writing events as JSON Lines, JSON, CSV or a table for people (rich)."""
from __future__ import annotations

import csv
import json
from typing import IO, Iterable

from .model import Event

FORMATS = ("table", "jsonl", "json", "csv")
CSV_COLUMNS = [
    "id", "article_id", "sentence_index", "span_start", "span_end", "source", "source_country",
    "source_sector", "source_name", "target", "target_country", "target_sector", "target_name",
    "type", "mode", "context", "cameo", "goldstein", "quad_class", "modality", "speaker",
    "date", "date_text", "date_precision", "place", "place_country", "lat", "lon",
    "confidence", "rule", "predicate", "evidence",
]


def csv_row(event: Event) -> dict:
    s, t, p = event.source, event.target, event.place
    return {
        "id": event.id,
        "article_id": event.article_id,
        "sentence_index": event.sentence_index,
        "span_start": event.span[0],
        "span_end": event.span[1],
        "source": s.text if s else "",
        "source_country": (s.country or "") if s else "",
        "source_sector": (s.sector or "") if s else "",
        "source_name": (s.name or "") if s else "",
        "target": t.text if t else "",
        "target_country": (t.country or "") if t else "",
        "target_sector": (t.sector or "") if t else "",
        "target_name": (t.name or "") if t else "",
        "type": event.type or "",
        "mode": event.mode or "",
        "context": event.context or "",
        "cameo": event.cameo,
        "goldstein": event.goldstein,
        "quad_class": event.quad_class,
        "modality": event.modality,
        "speaker": event.speaker.code if event.speaker else "",
        "date": event.date or "",
        "date_text": event.date_text or "",
        "date_precision": event.date_precision,
        "place": p.name if p else "",
        "place_country": (p.country or "") if p else "",
        "lat": p.lat if p and p.lat is not None else "",
        "lon": p.lon if p and p.lon is not None else "",
        "confidence": round(event.confidence, 3),
        "rule": event.rule,
        "predicate": event.predicate or "",
        "evidence": event.evidence,
    }


class EventWriter:
    """Streams events to `out` in one format; call `close()` at the end."""

    def __init__(self, out: IO[str], fmt: str, explain: bool = False, console=None):
        if fmt not in FORMATS:
            raise ValueError(f"unknown format {fmt!r}: choose one of {', '.join(FORMATS)}")
        self.out, self.fmt, self.explain, self.console = out, fmt, explain, console
        self.rows: list[Event] = []
        self.count = 0
        self._csv = None
        if fmt == "csv":
            self._csv = csv.DictWriter(out, fieldnames=CSV_COLUMNS)
            self._csv.writeheader()

    def write(self, events: Iterable[Event]) -> None:
        for event in events:
            self.count += 1
            if self.fmt == "jsonl":
                self.out.write(event.to_json(self.explain) + "\n")
            elif self.fmt == "csv":
                self._csv.writerow(csv_row(event))
            else:
                self.rows.append(event)

    def close(self) -> None:
        if self.fmt == "json":
            json.dump([e.to_dict(self.explain) for e in self.rows], self.out, ensure_ascii=False, indent=2)
            self.out.write("\n")
        elif self.fmt == "table":
            render_table(self.rows, self.out, self.explain, self.console)
        self.out.flush()


def _actor_cell(actor) -> str:
    if actor is None:
        return "-"
    code = actor.country or "?"
    if actor.sector:
        code += "/" + actor.sector
    return f"{code} {actor.text}"


def render_table(events: list[Event], out: IO[str], explain: bool = False, console=None) -> None:
    from rich.console import Console
    from rich.markup import escape
    from rich.table import Table

    console = console or Console(file=out, width=160)
    table = Table(show_lines=explain, title=f"{len(events)} events", title_justify="left")
    for col in ("sent", "source", "predicate", "target", "type", "cameo", "quad", "gold.", "modality", "date", "conf"):
        table.add_column(col, overflow="fold")
    for e in events:
        predicate = escape(e.predicate or "")
        if explain:
            predicate += "\n[dim]" + escape("\n".join(e.explain)) + "[/dim]"
        table.add_row(
            str(e.sentence_index),
            escape(_actor_cell(e.source)),
            predicate,
            escape(_actor_cell(e.target)),
            e.type or "(statement)",
            e.cameo,
            str(e.quad_class),
            f"{e.goldstein:+.1f}",
            e.modality,
            (e.date or "") + ("" if e.date_precision in ("day", "published") else f" ({e.date_precision})"),
            f"{e.confidence:.2f}",
        )
    console.print(table)
