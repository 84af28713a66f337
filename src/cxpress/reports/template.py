"""Jinja template of reports/index.html: inline CSS, no scripts, fonts or remote resources."""

INDEX_TEMPLATE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>cxpress reports — {{ r.started[:16] }}</title>
<style>
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; margin: 0 auto;
       max-width: 72rem; padding: 1.5rem; color: #1d2430; line-height: 1.45; }
h1 { margin: 0 0 .3rem; font-size: 1.6rem; }
h3 { font-size: 1rem; margin: 1rem 0 .4rem; }
h2 { margin-top: 2rem; font-size: 1.2rem; border-bottom: 1px solid #d8dde6; padding-bottom: .2rem; }
table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; vertical-align: top; padding: .35rem .6rem; border-bottom: 1px solid #e6e9ef; }
th { background: #f4f6f9; font-weight: 600; }
code, pre { font-family: ui-monospace, "DejaVu Sans Mono", Menlo, Consolas, monospace; font-size: .9em; }
pre { background: #f4f6f9; padding: .6rem .8rem; overflow-x: auto; white-space: pre-wrap; }
.summary { padding: .7rem 1rem; border-radius: .4rem; margin: .8rem 0; }
.summary.ok { background: #e7f6ea; border: 1px solid #9bd3a6; }
.summary.failed { background: #fdecec; border: 1px solid #ef9a9a; }
.badge { display: inline-block; padding: .05rem .5rem; border-radius: 1rem; font-size: .85em;
         font-weight: 600; }
.badge.ok { background: #cdebd3; color: #1b5e20; }
.badge.failed { background: #f8c9c9; color: #8e1b1b; }
.badge.not-run { background: #e6e9ef; color: #4a5568; }
.error td { background: #fff6f6; }
.meta { color: #4a5568; }
.thumbs { display: flex; flex-wrap: wrap; gap: .8rem; }
.thumbs figure { margin: 0; width: 15rem; }
.thumbs img { width: 100%; border: 1px solid #d8dde6; }
.thumbs figcaption { font-size: .8em; word-break: break-all; }
details { margin: .3rem 0; }
ul.grid { display: grid; grid-template-columns: repeat(auto-fill, minmax(14rem, 1fr)); gap: .1rem 1rem;
          list-style: none; margin: 0 0 .3rem; padding: 0; }
</style>
</head>
<body>
<header>
<h1>cxpress reports</h1>
<p class="meta">Run started {{ r.started }} · took {{ r.duration_s | duration }} ·
corpus <code>{{ r.corpus.path }}</code>{% if r.corpus.n_articles is not none %}
({{ r.corpus.n_articles }} articles, {{ r.corpus.n_analysed }} analysed){% endif %} ·
commit <code>{{ r.git.commit[:12] }}</code>{% if r.git.dirty %} (uncommitted changes){% endif %}</p>
{% if failed %}
<div class="summary failed" id="run-status"><strong>{{ failed | length }} of {{ r.notebooks | length }}
notebooks did not complete.</strong>
<ul>{% for line in summaries %}<li>{{ line }}</li>{% endfor %}</ul></div>
{% else %}
<div class="summary ok" id="run-status"><strong>{% if r.notebooks | length == 1 %}The notebook
ran{% else %}All {{ r.notebooks | length }} notebooks ran{% endif %} successfully.</strong></div>
{% endif %}
</header>

<h2 id="notebooks">Reports</h2>
<p class="meta">“Full” shows code and results; “share” hides the code (for readers who want the
findings). Each HTML file is self-contained: it opens offline and can be sent as an attachment.</p>
<table>
<thead><tr><th>Notebook</th><th>Status</th><th>Started</th><th>Duration</th><th>Open</th><th>Outputs</th></tr></thead>
<tbody>
{% for nb in r.notebooks %}
<tr id="nb-{{ nb.name }}">
<td><strong>{{ nb.name }}</strong><br><span class="meta">{{ nb.title }}</span></td>
<td><span class="badge {{ nb.status | replace(' ', '-') }}">{{ nb.status }}</span></td>
<td>{{ nb.started[11:19] }}</td>
<td>{{ nb.duration_s | duration }}</td>
<td>{% if nb.files.get("html") %}<a href="{{ nb.files.get("html") | url }}{% if nb.error %}#papermill-error-cell{% endif %}">full report</a><br>{% endif %}
{% if nb.files.get("share") %}<a href="{{ nb.files.get("share") | url }}">share (code hidden)</a><br>{% endif %}
{% if nb.files.get("ipynb") %}<a href="{{ nb.files.get("ipynb") | url }}">executed notebook</a>{% endif %}</td>
<td>{% if nb.figures or nb.tables %}<details><summary>{{ nb.figures | length }} figure{{ "s" if nb.figures | length != 1 }},
{{ nb.tables | length }} table{{ "s" if nb.tables | length != 1 }}</summary>
{% for f in nb.figures %}<a href="{{ f | url }}">{{ f }}</a><br>{% endfor %}
{% for t in nb.tables %}<a href="{{ t | url }}">{{ t }}</a><br>{% endfor %}</details>
{% else %}<span class="meta">none</span>{% endif %}</td>
</tr>
{% if nb.error %}
<tr class="error"><td colspan="6"><strong>{{ nb.error.ename }}</strong> at
{% if nb.error.cell %}cell {{ nb.error.cell }}{% if nb.error.exec_count %} (In [{{ nb.error.exec_count }}]){% endif %}{% else %}{{ nb.error.stage }}{% endif %}:
{{ nb.error.evalue }}
{% if nb.error.source %}<pre>{{ nb.error.source }}</pre>{% endif %}</td></tr>
{% endif %}
{% endfor %}
</tbody>
</table>

<h2 id="rerun">Rerun</h2>
<p class="meta">From the project root{% if r.git.commit[:7] != 'unknown' %}, at commit
<code>{{ r.git.commit[:12] }}</code>{% endif %}:</p>
<pre>{{ r.rerun }}</pre>

{% if pngs %}
<h2 id="figures">Figures</h2>
{% for name, figures in pngs.items() %}
<h3>{{ name }}</h3>
<div class="thumbs">{% for f in figures %}
<figure><a href="{{ f | url }}"><img src="{{ f | url }}" alt="{{ f }}"></a><figcaption>{{ f }}</figcaption></figure>
{% endfor %}</div>
{% endfor %}
{% endif %}

<h2 id="corpus">Corpus</h2>
<table>
<tr><th>Path</th><td><code>{{ r.corpus.path }}</code></td></tr>
<tr><th>Fingerprint</th><td><code>{{ r.corpus.fingerprint }}</code></td></tr>
<tr><th>Articles</th><td>{% if r.corpus.n_articles is not none %}{{ r.corpus.n_articles }} loaded,
{{ r.corpus.n_analysed }} analysed (French, not duplicates, in the year range){% else %}unknown{% endif %}</td></tr>
{% if r.corpus.load_report %}<tr><th>Load report</th><td><ul class="grid">{% for key, n in r.corpus.load_report.items() %}
<li>{{ key }}: <strong>{{ n }}</strong></li>{% endfor %}</ul>
<span class="meta">rows per status / reason: one per file read, dropped or skipped, and per article
excluded or flagged (the full list is in the overview notebook)</span></td></tr>{% endif %}
{% if r.corpus.error %}<tr class="error"><th>Problem</th><td>{{ r.corpus.error }}</td></tr>{% endif %}
</table>

<h2 id="parameters">Parameters</h2>
{% for nb in r.notebooks %}
<details{% if loop.first %} open{% endif %}><summary><strong>{{ nb.name }}</strong></summary>
<table><thead><tr><th>Name</th><th>Value</th><th>Set by</th></tr></thead><tbody>
{% for p in nb.parameters %}<tr><td><code>{{ p.name }}</code></td><td><code>{{ p.value | show }}</code></td><td>{{ p.source }}</td></tr>
{% endfor %}</tbody></table></details>
{% endfor %}

<h2 id="environment">Environment</h2>
<table>
<tr><th>Git commit</th><td><code>{{ r.git.commit }}</code>{% if r.git.dirty %} — {{ r.git.changed_files }} files changed or untracked{% elif r.git.dirty is none %} — unknown{% else %} — clean{% endif %}</td></tr>
{% for key, value in r.environment.items() %}<tr><th>{{ key }}</th><td><code>{{ value }}</code></td></tr>{% endfor %}
<tr><th>Packages</th><td><ul class="grid">{% for name, version in r.versions.items() %}
<li>{{ name }} <code>{{ version }}</code></li>{% endfor %}</ul></td></tr>
</table>
</body>
</html>
"""
