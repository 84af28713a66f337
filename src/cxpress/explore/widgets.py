"""ipywidgets views over the explore queries: a term explorer, a topic explorer and an article
viewer. They only display the frames cxpress.explore returns; each can show itself as live
widgets (JupyterLab) or as static tables and figures (papermill reports)."""

from __future__ import annotations

import html
from collections.abc import Mapping, Sequence

import pandas as pd
from IPython.display import display

from cxpress import plots
from cxpress.explore import articles as art
from cxpress.explore import topics as top
from cxpress.explore.search import GroupMentions, TextIndex, find_term, parse_query
from cxpress.explore.terms import series_for_plot, term_kwic, term_series
from cxpress.explore.views import ExportRow, figure_png, show_static, table_html


def _error(exc: Exception) -> str:
    return f'<p style="color:#b5482f">{html.escape(str(exc))}</p>'


class ArticleViewer:
    """One article: metadata and date evidence, raw capture beside the cleaned text (removed lines
    struck through in red), copies, sentiment of its target sentences, topic weights and neighbours."""

    def __init__(self, loaded: pd.DataFrame, *, model=None, scorer="classifier", memory=None, folder=None):
        import ipywidgets as w

        self.loaded, self.model, self.scorer, self.memory = loaded, model, scorer, memory
        self.shares = top.share_matrix(model) if model is not None else None
        self.doc_id, self.tables = None, {}
        self.input = w.Text(placeholder="doc_id", description="Article", continuous_update=False)
        self.input.add_class("cx-article-input")
        self.input.observe(lambda change: self.open(change["new"]) if change["new"] != self.doc_id else None,
                           names="value")
        self.body = w.HTML()
        self.body.add_class("cx-article")
        self.exports = ExportRow(lambda: self.tables, lambda: ("", None), folder)
        self.widget = w.VBox([self.input, self.body, self.exports.widget])

    def answer(self, doc_id: str) -> dict[str, pd.DataFrame]:
        """The viewer's tables for one article."""
        tables = {"article": art.article_record(self.loaded, doc_id),
                  "year cues": art.article_year_cues(self.loaded, doc_id),
                  "copies": art.article_copies(self.loaded, doc_id),
                  "target sentences": art.article_sentiment(self.loaded, doc_id, scorer=self.scorer,
                                                            memory=self.memory)}
        if self.model is not None and str(doc_id) in set(self.model.doc_topics["doc_id"].astype(str)):
            tables["topics"] = top.article_topics(self.model, doc_id)
            tables["nearest articles"] = top.topic_neighbours(self.shares, doc_id)
        if "text_raw" in self.loaded:
            tables["cleaning"] = art.article_cleaning(self.loaded, doc_id)
        return tables

    def open(self, doc_id: str) -> None:
        try:
            self.tables = {f"article-{doc_id}-{k}": v for k, v in self.answer(doc_id).items()}
            self.doc_id = str(doc_id)  # before the input changes: its observer then does nothing
            self.input.value = self.doc_id
            self.body.value = self.render(doc_id)
        except ValueError as exc:
            self.body.value = _error(exc)

    def render(self, doc_id: str) -> str:
        article = art.find_article(self.loaded, doc_id)
        tables = {k.rsplit("-", 1)[-1]: v for k, v in self.tables.items()}
        raw = tables.pop("cleaning", None)
        left = ("".join(f'<div style="{"" if kept else "background:#fbe3de;text-decoration:line-through"}">'
                        f"{html.escape(line)}</div>" for line, kept in raw.itertuples(index=False))
                if raw is not None else "<i>raw text not loaded</i>")
        right = "".join(f"<p>{html.escape(p)}</p>" for p in str(article["text"]).split("\n") if p.strip())
        panes = (f'<div style="display:flex;gap:1em"><div style="flex:1;max-height:30em;overflow:auto">'
                 f"<b>raw capture</b> (removed lines struck through){left}</div>"
                 f'<div style="flex:1;max-height:30em;overflow:auto"><b>cleaned text</b>{right}</div></div>')
        title = html.escape(str(article.get("title") or ""))
        return f"<h4>{title}</h4>" + panes + "".join(table_html(t, caption=k) for k, t in tables.items())

    def show(self, interactive: bool = True) -> None:
        if interactive:
            display(self.widget)
        elif self.doc_id is not None:
            show_static(None, {k.rsplit("-", 1)[-1]: v for k, v in self.tables.items()},
                        note=f"article {self.doc_id}")


class TermExplorer:
    """Type a term (word, several words, `voice*`, `re:regex`, a term-group name, or terms separated
    by commas): its yearly share and rate with CIs, by outlet family, and its KWIC lines for the
    years selected; choosing a line opens the article in `viewer`."""

    def __init__(self, index: TextIndex, *, groups: Mapping[str, Sequence[str]] | None = None,
                 viewer: ArticleViewer | None = None, folder=None, memory=None, **series_options):
        import ipywidgets as w

        # every group's mentions found once, at the first load: a group query (30 terms) is then instant
        self.group_mentions = GroupMentions(index, groups, memory=memory) if groups else None

        self.index, self.groups, self.viewer, self.options = index, groups, viewer, series_options
        self.query, self.note, self.mentions, self.series, self.lines, self.figure = "", "", None, None, None, None
        self.input = w.Text(placeholder="voicebot, intelligence artificielle, voice*, re:call ?bot",
                            description="Term", continuous_update=False)
        self.input.add_class("cx-term-input")
        self.input.observe(lambda change: self.search(change["new"]) if change["new"] != self.query else None,
                           names="value")
        self.by_family = w.Checkbox(value=True, description="split by outlet family")
        self.status = w.HTML()
        self.status.add_class("cx-term-status")
        self.image = w.Image(format="png")
        self.image.add_class("cx-term-figure")
        self.years = w.SelectMultiple(description="Years", rows=6)
        self.years.observe(lambda _: self.show_lines(self.years.value), names="value")
        self.kwic = w.Select(rows=12, layout=w.Layout(width="100%"))
        self.kwic.add_class("cx-term-kwic")
        self.kwic.observe(lambda change: self.open_line(change["new"]), names="value")
        self.exports = ExportRow(self.tables, lambda: (f"term-{self.query}", self.figure), folder)
        self.widget = w.VBox([w.HBox([self.input, self.by_family]), self.status, self.image,
                              w.HBox([self.years, w.HTML("select years: their KWIC lines below; "
                                                          "choose a line to open its article")]),
                              self.kwic, self.exports.widget])

    def tables(self) -> dict[str, pd.DataFrame]:
        return {} if self.series is None else {f"term-{self.query}-series": self.series,
                                               f"term-{self.query}-kwic": self.lines}

    def search(self, query: str) -> None:
        """Answer a typed query: series, figure, year list and the KWIC lines of every year."""
        try:
            terms = parse_query(query, self.groups)
            known = self.group_mentions is not None and query in self.group_mentions
            self.mentions = self.group_mentions.of(query) if known else find_term(self.index, query, terms)
            self.series = term_series(self.index, query, terms, mentions=self.mentions,
                                      by_family=self.by_family.value, **self.options)
        except (ValueError, KeyError) as exc:
            self.status.value = _error(exc)
            return
        self.query = query  # before the input changes: its observer then does nothing
        self.input.value = query
        found = self.mentions.table
        self.note = (f"{query!r} ({', '.join(terms)}): {len(found)} mentions in "
                     f"{found['doc_id'].nunique()} of {len(self.index.articles)} articles")
        self.status.value = html.escape(self.note)
        self.figure = plots.plot_yearly_with_ci(series_for_plot(self.series), facet="panel")
        self.figure.suptitle(f"{query}: % of articles mentioning it, mentions per 10k tokens (95% CI)")
        self.image.value = figure_png(self.figure)
        years = sorted(int(y) for y in self.series.loc[self.series["n_mentioning"].fillna(0) > 0, "year"].unique())
        with self.years.hold_trait_notifications():
            self.years.options, self.years.value = years, ()
        self.show_lines(None)

    def show_lines(self, years) -> None:
        if self.mentions is None:
            return
        self.lines = term_kwic(self.index, self.query, self.mentions, years=list(years) if years else None)
        self.kwic.options = [(f"{r.year} · {r.outlet if pd.notna(r.outlet) else ''} · …{r.left}[{r.match}]{r.right}…",
                              (i, r.doc_id)) for i, r in enumerate(self.lines.itertuples())]

    def open_line(self, value) -> None:
        if value and self.viewer is not None:
            self.viewer.open(value[1])

    def show(self, interactive: bool = True) -> None:
        if interactive:
            display(self.widget)
        elif self.series is not None:
            show_static(plots.plot_yearly_with_ci(series_for_plot(self.series), facet="panel"),
                        {"yearly series": self.series, "KWIC lines": self.lines}, note=self.note)


class TopicExplorer:
    """Pick a topic: its top terms, prevalence per year with CIs, the articles where it weighs most
    (choose one to open it in `viewer`, with its topic weights); rename it, and the label is kept in
    the topic labels YAML that every notebook reads."""

    def __init__(self, model, articles: pd.DataFrame, *, viewer: ArticleViewer | None = None,
                 labels_path=None, folder=None):
        import ipywidgets as w

        self.model, self.articles, self.viewer, self.labels_path = model, articles, viewer, labels_path
        self.topic, self.answer, self.figure = None, {}, None
        self.pick = w.Dropdown(description="Topic")
        self.pick.add_class("cx-topic-pick")
        self.pick.observe(lambda change: self.select(change["new"]), names="value")
        self.name = w.Text(placeholder="new label", description="Rename", continuous_update=False)
        self.name.add_class("cx-topic-name")
        self.name.observe(lambda change: self.rename(change["new"]) if change["new"].strip() else None,
                          names="value")
        self.status = w.HTML()
        self.terms = w.HTML()
        self.image = w.Image(format="png")
        self.docs = w.Select(rows=8, layout=w.Layout(width="100%"))
        self.docs.observe(lambda change: viewer.open(change["new"]) if viewer and change["new"] else None,
                          names="value")
        self.exports = ExportRow(lambda: {f"topic-{self.topic}-{k}": v for k, v in self.answer.items()},
                                 lambda: (f"topic-{self.topic}-prevalence", self.figure), folder)
        self.widget = w.VBox([w.HBox([self.pick, self.name]), self.status, w.HBox([self.terms, self.image]),
                              w.HTML("articles where the topic weighs most (choose one to open it):"),
                              self.docs, self.exports.widget])
        self._refresh_options()

    def _refresh_options(self) -> None:
        with self.pick.hold_trait_notifications():
            self.pick.options = [(f"{t}: {label}", t) for t, label in
                                 self.model.topics[["topic", "label"]].itertuples(index=False)]

    def select(self, topic) -> None:
        """Show one topic: terms, prevalence figure, its articles."""
        if topic is None:
            return
        self.topic = int(topic)
        self.answer = {"terms": top.topic_terms(self.model, self.topic),
                       "prevalence": top.topic_prevalence(self.model, self.topic),
                       "articles": top.topic_articles(self.model, self.articles, self.topic)}
        label = self.answer["prevalence"]["label"].iloc[0] if len(self.answer["prevalence"]) else str(topic)
        self.terms.value = table_html(self.answer["terms"], caption="top terms")
        self.figure = plots.plot_yearly_with_ci(self.answer["prevalence"], facet="label", percent=True, ncols=1)
        self.image.value = figure_png(self.figure)
        self.docs.options = [(f"{r.year} · {r.share:.0%} · {r.title}", r.doc_id)
                             for r in self.answer["articles"].itertuples()]
        self.status.value = html.escape(f"topic {topic}: {label}")

    def rename(self, label: str) -> None:
        try:
            self.model = top.rename_topic(self.model, self.topic, label, self.labels_path)
        except ValueError as exc:
            self.status.value = _error(exc)
            return
        self._refresh_options()
        self.pick.value = self.topic
        self.select(self.topic)
        self.status.value += html.escape(" — label saved for every notebook's topics")

    def show(self, interactive: bool = True) -> None:
        if interactive:
            display(self.widget)
        else:
            for topic in self.model.topics["topic"]:
                self.select(topic)
                show_static(plots.plot_yearly_with_ci(self.answer["prevalence"], facet="label", percent=True,
                                                      ncols=1),
                            {"top terms": self.answer["terms"].head(10),
                             "articles where it weighs most": self.answer["articles"].head(5)},
                            note=f"topic {topic}")
