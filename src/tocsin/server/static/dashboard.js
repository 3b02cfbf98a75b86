// tocsin dashboard: plain ES module, no framework, no build step, no external assets.
//
// Security: article text, titles, outlets and actor names are hostile. Every piece of data
// reaches the DOM through textContent, createElement(NS) and setAttribute on fixed attribute
// names; nothing from the API is ever parsed as HTML. Links are made only for http(s) URLs.
//
// State lives in the URL hash (#source=RUS&target=UKR&since=...), so a view can be shared.

const SVG_NS = "http://www.w3.org/2000/svg";
const PAGE_SIZE = 25;
const MAX_ALERTS = 100;
const NETWORK_NODES = 14;
const NETWORK_EDGES = 36;
const QUADS = [
  { key: "q1", name: "verbal cooperation" },
  { key: "q2", name: "material cooperation" },
  { key: "q3", name: "verbal conflict" },
  { key: "q4", name: "material conflict" },
];
const DEFAULTS = {
  source: "", target: "", since: "", until: "", by: "week", unit: "stories",
  type: "", modality: "", text: "", period: "", page: 0,
};
const CHOICES = { by: ["week", "day"], unit: ["stories", "events"] };
const CODE_RE = /^[A-Z]{2,8}$/;
const DATE_RE = /^\d{4}-\d{2}-\d{2}$/;
const PERIOD_RE = /^(\d{4}-\d{2}-\d{2})\.\.(\d{4}-\d{2}-\d{2})$/;

const $ = (id) => document.getElementById(id);

// ---------------------------------------------------------------- DOM helpers

/** An HTML element; `text` becomes a text node, `attrs` are set with setAttribute. */
function h(tag, { cls, text, attrs } = {}, ...children) {
  const el = document.createElement(tag);
  if (cls) el.className = cls;
  if (text !== undefined && text !== null) el.textContent = String(text);
  for (const [name, value] of Object.entries(attrs || {})) {
    if (value !== undefined && value !== null && value !== false) el.setAttribute(name, String(value));
  }
  for (const child of children) if (child !== null && child !== undefined) el.append(child);
  return el;
}

/** An SVG element with attributes (names are always constants of this file). */
function svg(tag, attrs = {}, parent = null) {
  const el = document.createElementNS(SVG_NS, tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value !== undefined && value !== null) el.setAttribute(name, String(value));
  }
  if (parent) parent.append(el);
  return el;
}

function svgTitle(parent, text) {
  const title = svg("title", {}, parent);
  title.textContent = text;
  return title;
}

function message(container, text, kind = "empty") {
  container.replaceChildren(h("p", { cls: kind === "error" ? "error" : "empty", text, attrs: { role: kind === "error" ? "alert" : null } }));
}

const fmt = (n) => (Number.isFinite(Number(n)) ? Number(n).toLocaleString("en") : "–");
const plural = (n, word) => `${fmt(n)} ${word}${Number(n) === 1 ? "" : "s"}`;
const pvalue = (p) => (!Number.isFinite(Number(p)) ? "–" : Number(p) < 0.001 ? Number(p).toExponential(1) : Number(p).toPrecision(2));
const signed = (x) => (Number.isFinite(Number(x)) ? (x > 0 ? "+" : x < 0 ? "−" : "") + Math.abs(Number(x)).toFixed(1) : "–");

// ---------------------------------------------------------------- dates

function parseDay(iso) {
  const m = DATE_RE.test(iso || "") ? iso.split("-").map(Number) : null;
  return m ? Date.UTC(m[0], m[1] - 1, m[2]) : NaN;
}

function isoDay(ms) {
  return new Date(ms).toISOString().slice(0, 10);
}

function addDays(iso, days) {
  return isoDay(parseDay(iso) + days * 86400000);
}

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

function shortDay(iso, withYear) {
  const d = new Date(parseDay(iso));
  if (Number.isNaN(d.getTime())) return String(iso);
  const text = `${d.getUTCDate()} ${MONTHS[d.getUTCMonth()]}`;
  return withYear ? `${text} ${d.getUTCFullYear()}` : text;
}

function periodLabel(start, end, by) {
  if (!end || end === start) return by === "day" ? start : `week of ${start}`;
  return `${start} to ${end}`;
}

// ---------------------------------------------------------------- state <-> URL hash

function readState() {
  const params = new URLSearchParams(location.hash.replace(/^#/, ""));
  const state = { ...DEFAULTS };
  for (const key of ["source", "target", "type", "modality", "text"]) {
    const value = (params.get(key) || "").trim().slice(0, 200);
    state[key] = key === "text" || key === "modality" ? value : value.toUpperCase();
  }
  for (const key of ["since", "until"]) {
    const value = params.get(key) || "";
    state[key] = DATE_RE.test(value) ? value : "";
  }
  for (const [key, allowed] of Object.entries(CHOICES)) {
    const value = params.get(key);
    if (allowed.includes(value)) state[key] = value;
  }
  const period = params.get("period") || "";
  state.period = PERIOD_RE.test(period) ? period : "";
  const page = Number.parseInt(params.get("page") || "0", 10);
  state.page = Number.isInteger(page) && page > 0 && page < 1e6 ? page : 0;
  return state;
}

function hashOf(state) {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(state)) {
    if (value !== DEFAULTS[key] && value !== "" && value !== null) params.set(key, String(value));
  }
  return params.toString();
}

function go(changes) {
  const next = { ...current, ...changes };
  const hash = hashOf(next);
  if (hash === location.hash.replace(/^#/, "")) render(readState());
  else location.hash = hash;
}

// ---------------------------------------------------------------- API

class ApiError extends Error {
  constructor(status, code, text) {
    super(text);
    this.status = status;
    this.code = code;
  }
}

const inflight = new Map();
let pending = 0;

/** Requests in flight, on <body data-busy="N"> (and class "loading" for the progress bar). */
function busy(delta) {
  pending = Math.max(0, pending + delta);
  document.body.dataset.busy = String(pending);
  document.body.classList.toggle("loading", pending > 0);
}

/** GET an API path; one request a panel at a time (a newer one aborts the older). */
async function api(panel, path, params = {}) {
  inflight.get(panel)?.abort();
  const controller = new AbortController();
  inflight.set(panel, controller);
  const query = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value !== undefined && value !== null && value !== "") query.set(key, String(value));
  }
  const url = query.toString() ? `${path}?${query}` : path;
  let response, body = null;
  busy(+1);
  try {
    try {
      response = await fetch(url, { signal: controller.signal, headers: { Accept: "application/json" } });
    } catch (err) {
      if (err.name === "AbortError") throw err;
      throw new ApiError(0, "unreachable", "the tocsin server cannot be reached; is `tocsin serve` running?");
    }
    try {
      body = await response.json();
    } catch (err) {
      if (err.name === "AbortError") throw err;
      body = null;
    }
  } finally {
    busy(-1);
  }
  if (!response.ok) {
    const error = body && typeof body.error === "object" && body.error ? body.error : {};
    throw new ApiError(response.status, String(error.code || "http_error"),
      String(error.message || `${response.status} ${response.statusText}`));
  }
  if (body === null || typeof body !== "object") throw new ApiError(response.status, "bad_response", `${path} did not answer JSON`);
  return body;
}

function failure(container, what, err) {
  if (err && err.name === "AbortError") return;
  const detail = err instanceof ApiError && err.status ? ` (HTTP ${err.status}, ${err.code})` : "";
  message(container, `Could not load ${what}: ${err && err.message ? err.message : err}${detail}`, "error");
}

// ---------------------------------------------------------------- store info, dyads, countries

let dyads = [];
let dyadsLoaded = false;

async function loadStore() {
  try {
    const health = await api("health", "/api/health");
    const counts = health.counts && typeof health.counts === "object" ? health.counts : {};
    const parts = Object.entries(counts).filter(([, v]) => Number.isFinite(Number(v)))
      .map(([k, v]) => `${fmt(v)} ${k}`);
    $("store-info").textContent = parts.length ? parts.join(" · ") : `store: ${health.status || "ok"}`;
  } catch (err) {
    if (err.name !== "AbortError") $("store-info").textContent = `Store unavailable: ${err.message}`;
  }
  try {
    const body = await api("dyads", "/api/dyads");
    dyads = Array.isArray(body.items) ? body.items.filter((d) => d && d.source && d.target) : [];
    dyadsLoaded = true;
  } catch (err) {
    dyads = [];
    if (err.name !== "AbortError") showNotice(`Could not load the dyads: ${err.message}`);
  }
  fillDyads();
}

function fillDyads() {
  const select = $("dyad");
  const options = [h("option", { text: dyads.length ? "— choose a dyad —" : "no dyads in the store", attrs: { value: "" } })];
  for (const d of dyads.slice(0, 300)) {
    const label = `${d.source} → ${d.target} · ${plural(d.events, "event")}`;
    const title = `${plural(d.events, "event")}, ${fmt(d.stories)} ${Number(d.stories) === 1 ? "story" : "stories"}, ${fmt(d.conflict)} of conflict`;
    options.push(h("option", { text: label, attrs: { value: `${d.source}>${d.target}`, title } }));
  }
  select.replaceChildren(...options);
  const codes = new Set();
  for (const d of dyads) { codes.add(String(d.source)); codes.add(String(d.target)); }
  $("countries").replaceChildren(...[...codes].sort().slice(0, 500).map((c) => h("option", { attrs: { value: c } })));
  syncForm(current);
}

function showNotice(text) {
  const notice = $("notice");
  notice.textContent = text;
  notice.hidden = !text;
}

// ---------------------------------------------------------------- form

function syncForm(state) {
  const form = $("filters");
  for (const key of ["source", "target", "since", "until", "by", "unit", "type", "modality", "text"]) {
    const field = form.elements[key];
    if (field.tagName === "SELECT" && state[key] && ![...field.options].some((o) => o.value === state[key])) {
      // a value from a shared address that this page does not list: show it rather than hide it
      field.append(h("option", { text: `${state[key]} (from the address)`, attrs: { value: state[key] } }));
    }
    field.value = state[key];
  }
  const value = `${state.source}>${state.target}`;
  const select = $("dyad");
  select.value = [...select.options].some((o) => o.value === value) ? value : "";
}

function formState() {
  const form = $("filters");
  const read = (key) => String(form.elements[key].value || "").trim();
  return {
    source: read("source").toUpperCase(), target: read("target").toUpperCase(),
    since: read("since"), until: read("until"), by: read("by"), unit: read("unit"),
    type: read("type").toUpperCase(), modality: read("modality"), text: read("text"),
  };
}

function wireForm() {
  const form = $("filters");
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const next = formState();
    const samePair = next.source === current.source && next.target === current.target;
    go({ ...next, page: 0, period: samePair ? current.period : "" });
  });
  $("dyad").addEventListener("change", (event) => {
    const [source, target] = String(event.target.value || "").split(">");
    if (!source || !target) return;
    go({ ...formState(), source, target, page: 0, period: "" });
  });
  $("swap").addEventListener("click", () => {
    const given = formState();
    go({ ...given, source: given.target, target: given.source, page: 0, period: "" });
  });
  $("reset").addEventListener("click", () => {
    if (location.hash.replace(/^#/, "")) location.hash = "";
    else render(readState());
  });
  $("prev").addEventListener("click", () => go({ page: Math.max(0, current.page - 1) }));
  $("next").addEventListener("click", () => go({ page: current.page + 1 }));
}

// ---------------------------------------------------------------- time series

async function loadSeries(state) {
  const box = $("series");
  const caption = $("series-caption");
  if (!CODE_RE.test(state.source) || !CODE_RE.test(state.target)) {
    $("series-title").textContent = "Time series";
    caption.textContent = "";
    const text = state.source || state.target
      ? "A series needs one source and one target code (2–8 letters, e.g. RUS and UKR); the events below use the actors given."
      : dyadsLoaded && !dyads.length
        ? "The store has no events between two actors yet: add articles with `tocsin ingest --db FILE SOURCE...` (or POST /api/articles), then reload."
        : "Pick a dyad (a source and a target) to see its series by QuadClass.";
    box.replaceChildren(h("p", { cls: "empty", text }), quickDyads());
    return;
  }
  $("series-title").textContent = `Time series · ${state.source} → ${state.target}`;
  caption.textContent = `${state.unit === "events" ? "Coded events" : "Stories (duplicate reports merged)"} a ${state.by}, stacked by QuadClass; alert periods shaded.`;
  box.setAttribute("aria-busy", "true");
  try {
    const data = await api("series", `/api/dyads/${encodeURIComponent(state.source)}/${encodeURIComponent(state.target)}/series`,
      { by: state.by, unit: state.unit, since: state.since, until: state.until });
    drawSeries(box, data, state);
  } catch (err) {
    failure(box, "the series", err);
  } finally {
    box.removeAttribute("aria-busy");
  }
}

function quickDyads() {
  const list = h("div", { cls: "quick", attrs: { role: "group", "aria-label": "Busiest dyads" } });
  for (const d of dyads.slice(0, 6)) {
    const button = h("button", { text: `${d.source} → ${d.target}`, attrs: { type: "button" } });
    button.addEventListener("click", () => go({ source: String(d.source), target: String(d.target), page: 0, period: "" }));
    list.append(button);
  }
  return list;
}

function niceMax(value) {
  if (!(value > 0)) return 1;
  const step = 10 ** Math.floor(Math.log10(value));
  for (const m of [1, 2, 2.5, 5, 10]) if (m * step >= value) return m * step;
  return 10 * step;
}

function periodIndex(periods, iso) {
  const exact = periods.findIndex((p) => p.period === iso);
  if (exact >= 0) return exact;
  const t = parseDay(iso);
  let best = -1;
  periods.forEach((p, i) => { if (parseDay(p.period) <= t) best = i; });
  return best;
}

function drawSeries(box, data, state) {
  const periods = Array.isArray(data.periods) ? data.periods.filter((p) => p && DATE_RE.test(p.period)) : [];
  const alerts = Array.isArray(data.alerts) ? data.alerts : [];
  const unit = data.unit || state.unit;
  const by = data.by || state.by;
  const total = periods.reduce((s, p) => s + (Number(p.total) || 0), 0);
  if (!periods.length || total === 0) {
    message(box, `No ${unit} for ${state.source} → ${state.target}${state.since || state.until ? " in this period" : ""}. Try another dyad, or widen the dates.`);
    return;
  }
  const W = 960, H = 300, M = { l: 64, r: 14, t: 30, b: 48 };
  const pw = W - M.l - M.r, ph = H - M.t - M.b;
  const n = periods.length;
  const step = pw / n;
  const barW = Math.max(1, step * (n > 60 ? 0.9 : 0.78));
  const ymax = niceMax(Math.max(...periods.map((p) => Number(p.total) || 0)));
  const x = (i) => M.l + i * step;
  const y = (v) => M.t + ph - (v / ymax) * ph;
  const root = svg("svg", { viewBox: `0 0 ${W} ${H}`, class: "series-svg", role: "img",
    "aria-label": `${unit} a ${by}, ${state.source} to ${state.target}, by QuadClass, ${n} periods, ${alerts.length} alerts` });
  svgTitle(root, `${state.source} → ${state.target}: ${fmt(total)} ${unit} in ${n} ${by}s`);

  // alert bands behind the bars
  const focus = PERIOD_RE.exec(state.period);
  for (const alert of alerts) {
    const i0 = periodIndex(periods, alert.start), i1 = periodIndex(periods, alert.end || alert.start);
    if (i0 < 0 || i1 < 0) continue;
    const selected = focus && focus[1] === alert.start;
    const band = svg("rect", { x: x(i0), y: M.t - 18, width: Math.max(step * (i1 - i0 + 1), 2), height: ph + 18,
      class: selected ? "alert-band selected" : "alert-band" }, root);
    svgTitle(band, alertSummary(alert));
    const label = svg("text", { x: x(i0) + 3, y: M.t - 6, class: "alert-label" }, root);
    label.textContent = `${step * (i1 - i0 + 1) >= 80 ? "alert · " : ""}z ${Number(alert.z).toFixed(1)}`;
  }
  if (focus) {
    const i0 = periodIndex(periods, focus[1]), i1 = periodIndex(periods, focus[2]);
    if (i0 >= 0 && i1 >= 0) svg("rect", { x: x(i0), y: M.t, width: Math.max(step * (i1 - i0 + 1), 2), height: ph, class: "focus-band" }, root);
  }

  // grid and y axis
  const ticks = 5;
  for (let k = 0; k <= ticks; k++) {
    const v = (ymax / ticks) * k;
    svg("line", { x1: M.l, x2: W - M.r, y1: y(v), y2: y(v), class: k ? "grid" : "axis" }, root);
    const t = svg("text", { x: M.l - 6, y: y(v) + 4, class: "tick", "text-anchor": "end" }, root);
    t.textContent = Number.isInteger(v) ? String(v) : v.toFixed(1);
  }
  const ylab = svg("text", { x: 16, y: M.t + ph / 2, class: "axis-label", "text-anchor": "middle",
    transform: `rotate(-90 16 ${M.t + ph / 2})` }, root);
  ylab.textContent = `${unit} a ${by}`;

  // stacked bars
  periods.forEach((p, i) => {
    const g = svg("g", { class: "bar", tabindex: "0", role: "button",
      "aria-label": `${periodLabel(p.period, null, by)}: ${fmt(p.total)} ${unit}` }, root);
    g.dataset.period = p.period;
    svg("rect", { x: x(i), y: M.t, width: step, height: ph, class: "hit" }, g);
    let base = 0;
    for (const q of QUADS) {
      const v = Number(p[q.key]) || 0;
      if (v <= 0) continue;
      svg("rect", { x: x(i) + (step - barW) / 2, y: y(base + v), width: barW, height: Math.max(0.5, y(base) - y(base + v)),
        class: `seg ${q.key}` }, g);
      base += v;
    }
    const mean = p.goldstein_mean === null || p.goldstein_mean === undefined ? "–" : signed(p.goldstein_mean);
    svgTitle(g, `${periodLabel(p.period, null, by)}: ${fmt(p.total)} ${unit}\n` +
      QUADS.map((q) => `${q.name}: ${fmt(p[q.key] || 0)}`).join("\n") + `\nmean Goldstein ${mean}`);
    const end = by === "week" ? addDays(p.period, 6) : p.period;
    const pick = () => go({ period: `${p.period}..${end}`, page: 0 });
    g.addEventListener("click", pick);
    g.addEventListener("keydown", (e) => { if (e.key === "Enter" || e.key === " ") { e.preventDefault(); pick(); } });
  });

  // x axis labels
  const every = Math.max(1, Math.ceil(n / 12));
  let lastYear = "";
  for (let i = 0; i < n; i += every) {
    const iso = periods[i].period;
    const year = iso.slice(0, 4);
    const t = svg("text", { x: x(i) + step / 2, y: M.t + ph + 16, class: "tick", "text-anchor": "middle" }, root);
    t.textContent = shortDay(iso, year !== lastYear);
    lastYear = year;
  }
  const xlab = svg("text", { x: M.l + pw / 2, y: H - 8, class: "axis-label", "text-anchor": "middle" }, root);
  xlab.textContent = by === "week" ? "week starting (Monday)" : "day";
  box.replaceChildren(root);
  if (!alerts.length) box.append(h("p", { cls: "note", text: `No alert for ${state.source} → ${state.target} in this range.` }));
}

// ---------------------------------------------------------------- alerts

function alertSummary(alert) {
  const span = periodLabel(alert.start, alert.end, alert.by);
  const peak = alert.end && alert.end !== alert.start ? `, peak ${fmt(alert.peak)}` : "";
  return `${alert.source} → ${alert.target}, ${span}: ${fmt(alert.count)} conflict ${alert.unit || "stories"}${peak} ` +
    `against a baseline median of ${fmt(alert.baseline_median)} (MAD ${fmt(alert.baseline_mad)}); ` +
    `robust z ${Number(alert.z).toFixed(1)}, Poisson p ${pvalue(alert.p)}`;
}

async function loadAlerts(state) {
  const list = $("alerts");
  list.setAttribute("aria-busy", "true");
  try {
    const body = await api("alerts", "/api/alerts", { by: state.by, since: state.since, until: state.until });
    drawAlerts(list, Array.isArray(body.items) ? body.items : [], state);
  } catch (err) {
    $("alerts-count").textContent = "";
    failure(list, "the alerts", err);
  } finally {
    list.removeAttribute("aria-busy");
  }
}

function drawAlerts(list, items, state) {
  // the chosen dyad's alerts first, then the others; most recent first within each
  const mine = (a) => (a.source === state.source && a.target === state.target ? 0 : 1);
  const alerts = items.filter((a) => a && a.source && a.target && DATE_RE.test(a.start))
    .sort((a, b) => mine(a) - mine(b) || (b.start > a.start ? 1 : b.start < a.start ? -1 : Number(b.z) - Number(a.z)));
  $("alerts-count").textContent = alerts.length ? `${fmt(alerts.length)}` : "";
  if (!alerts.length) {
    list.replaceChildren(h("li", { cls: "empty", text: "No alerts: no dyad's conflict jumped above its baseline in this range." }));
    return;
  }
  const focus = PERIOD_RE.exec(state.period);
  const rows = alerts.slice(0, MAX_ALERTS).map((alert) => {
    const current = mine(alert) === 0;
    const selected = current && focus && focus[1] === alert.start;
    const end = alert.by === "day" ? (alert.end || alert.start) : addDays(alert.end || alert.start, 6);
    const button = h("button", { cls: "alert-open", attrs: { type: "button", "aria-pressed": selected ? "true" : "false",
      "aria-label": `Open alert: ${alertSummary(alert)}` } },
    h("span", { cls: "alert-dyad", text: `${alert.source} → ${alert.target}` }),
    h("span", { cls: "alert-when", text: periodLabel(alert.start, alert.end, alert.by) }),
    h("span", { cls: "alert-figures", text: `${fmt(alert.count)} vs median ${fmt(alert.baseline_median)} · z ${Number(alert.z).toFixed(1)} · p ${pvalue(alert.p)}` }));
    button.addEventListener("click", () => go({ source: String(alert.source), target: String(alert.target), period: `${alert.start}..${end}`, page: 0 }));
    const stories = h("ul", { cls: "alert-stories" });
    for (const story of (Array.isArray(alert.stories) ? alert.stories : []).slice(0, 3)) {
      stories.append(h("li", {},
        h("span", { cls: "story-meta", text: `${story.date || ""} ${story.kind || ""} · ${plural(story.n_articles, "report")}` }),
        h("span", { cls: "story-text", text: story.evidence || "" })));
    }
    return h("li", { cls: `alert${current ? " current" : ""}${selected ? " selected" : ""}` }, button, stories);
  });
  if (alerts.length > MAX_ALERTS) rows.push(h("li", { cls: "note", text: `…and ${fmt(alerts.length - MAX_ALERTS)} more; narrow the dates.` }));
  list.replaceChildren(...rows);
}

// ---------------------------------------------------------------- actor network

async function loadNetwork(state) {
  const box = $("network");
  box.setAttribute("aria-busy", "true");
  try {
    const body = await api("actors", "/api/actors", { since: state.since, until: state.until, limit: 200 });
    drawNetwork(box, Array.isArray(body.edges) ? body.edges : [], state);
  } catch (err) {
    failure(box, "the actor network", err);
  } finally {
    box.removeAttribute("aria-busy");
  }
}

/** Red (conflict, -10) through grey (0) to blue (cooperation, +10). */
function goldsteinColour(g) {
  const t = Math.max(-1, Math.min(1, (Number(g) || 0) / 10));
  const grey = [150, 155, 165], red = [200, 40, 40], blue = [30, 100, 200];
  const to = t < 0 ? red : blue, a = Math.abs(t);
  const c = grey.map((v, i) => Math.round(v + (to[i] - v) * a));
  return `rgb(${c[0]}, ${c[1]}, ${c[2]})`;
}

/** Slots on a circle for items in order of weight: each takes the free slot farthest from those taken
 * (ties: the lowest), so the busiest actors spread around the circle instead of bunching up. */
function spreadSlots(n) {
  const taken = [];
  const distance = (a, b) => Math.min(Math.abs(a - b), n - Math.abs(a - b));
  for (let i = 0; i < n; i++) {
    let best = -1, bestGap = -1;
    for (let slot = 0; slot < n; slot++) {
      if (taken.includes(slot)) continue;
      const gap = taken.length ? Math.min(...taken.map((t) => distance(t, slot))) : n;
      if (gap > bestGap) { best = slot; bestGap = gap; }
    }
    taken.push(best);
  }
  return taken;
}

function drawNetwork(box, rawEdges, state) {
  const merged = new Map();
  for (const e of rawEdges) {
    if (!e || !e.source || !e.target || e.source === e.target) continue;
    const key = `${e.source}>${e.target}`;
    const m = merged.get(key) || { source: String(e.source), target: String(e.target), events: 0, gsum: 0 };
    const n = Number(e.events) || 0;
    m.events += n;
    m.gsum += Number.isFinite(Number(e.goldstein_sum)) ? Number(e.goldstein_sum) : (Number(e.goldstein_mean) || 0) * n;
    merged.set(key, m);
  }
  const degree = new Map();
  for (const e of merged.values()) {
    degree.set(e.source, (degree.get(e.source) || 0) + e.events);
    degree.set(e.target, (degree.get(e.target) || 0) + e.events);
  }
  const nodes = [...degree.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).slice(0, NETWORK_NODES);
  const keep = new Set(nodes.map(([c]) => c));
  const edges = [...merged.values()].filter((e) => keep.has(e.source) && keep.has(e.target))
    .sort((a, b) => b.events - a.events).slice(0, NETWORK_EDGES);
  if (!edges.length) {
    message(box, "No events between two different actors in this range.");
    return;
  }
  const W = 520, H = 440, cx = W / 2, cy = H / 2 + 4, R = Math.min(W, H) / 2 - 56;
  const maxDeg = Math.max(...nodes.map(([, d]) => d));
  const maxEv = Math.max(...edges.map((e) => e.events));
  const pos = new Map();
  const slots = spreadSlots(nodes.length);
  nodes.forEach(([country, deg], i) => {
    const angle = -Math.PI / 2 + (2 * Math.PI * slots[i]) / nodes.length;
    pos.set(country, { x: cx + R * Math.cos(angle), y: cy + R * Math.sin(angle), angle, r: 7 + 13 * Math.sqrt(deg / maxDeg), deg });
  });
  const root = svg("svg", { viewBox: `0 0 ${W} ${H}`, class: "network-svg", role: "img",
    "aria-label": `Actor network: ${nodes.length} actors, ${edges.length} directed links` });
  svgTitle(root, "Who acts on whom");
  const edgeLayer = svg("g", { class: "edges" }, root);
  for (const e of edges) {
    const a = pos.get(e.source), b = pos.get(e.target);
    const dx = b.x - a.x, dy = b.y - a.y, len = Math.hypot(dx, dy) || 1;
    // bend to the right of the direction of travel, so A->B and B->A do not overlap
    const bend = 0.18 * len;
    const qx = (a.x + b.x) / 2 - (dy / len) * bend, qy = (a.y + b.y) / 2 + (dx / len) * bend;
    const tx = b.x - qx, ty = b.y - qy, tl = Math.hypot(tx, ty) || 1;
    const ex = b.x - (tx / tl) * (b.r + 2), ey = b.y - (ty / tl) * (b.r + 2);
    const width = 1 + 6 * Math.sqrt(e.events / maxEv);
    const mean = e.events ? e.gsum / e.events : 0;
    const colour = goldsteinColour(mean);
    const mine = e.source === state.source && e.target === state.target;
    const near = !state.source || [e.source, e.target].includes(state.source) || [e.source, e.target].includes(state.target);
    const g = svg("g", { class: `edge${mine ? " current" : ""}${near ? "" : " faded"}`, tabindex: "0", role: "button",
      "aria-label": `${e.source} to ${e.target}: ${e.events} events, mean Goldstein ${signed(mean)}` }, edgeLayer);
    svg("path", { d: `M${a.x.toFixed(1)},${a.y.toFixed(1)} Q${qx.toFixed(1)},${qy.toFixed(1)} ${ex.toFixed(1)},${ey.toFixed(1)}`,
      stroke: colour, "stroke-width": width.toFixed(2), fill: "none", class: "link" }, g);
    const ah = 5 + width * 1.4, ux = tx / tl, uy = ty / tl;
    const p1 = [ex, ey], p2 = [ex - ux * ah - uy * ah * 0.5, ey - uy * ah + ux * ah * 0.5], p3 = [ex - ux * ah + uy * ah * 0.5, ey - uy * ah - ux * ah * 0.5];
    svg("polygon", { points: [p1, p2, p3].map((p) => p.map((v) => v.toFixed(1)).join(",")).join(" "), fill: colour, class: "head" }, g);
    svgTitle(g, `${e.source} → ${e.target}: ${fmt(e.events)} events, mean Goldstein ${signed(mean)}`);
    const pick = () => go({ source: e.source, target: e.target, page: 0, period: "" });
    g.addEventListener("click", pick);
    g.addEventListener("keydown", (ev) => { if (ev.key === "Enter" || ev.key === " ") { ev.preventDefault(); pick(); } });
  }
  const nodeLayer = svg("g", { class: "nodes" }, root);
  for (const [country, p] of pos) {
    const active = country === state.source || country === state.target;
    const g = svg("g", { class: active ? "node current" : "node" }, nodeLayer);
    svg("circle", { cx: p.x.toFixed(1), cy: p.y.toFixed(1), r: p.r.toFixed(1) }, g);
    const lx = cx + (R + p.r + 12) * Math.cos(p.angle), ly = cy + (R + p.r + 12) * Math.sin(p.angle);
    const anchor = Math.abs(Math.cos(p.angle)) < 0.3 ? "middle" : Math.cos(p.angle) > 0 ? "start" : "end";
    const label = svg("text", { x: lx.toFixed(1), y: (ly + 4).toFixed(1), "text-anchor": anchor, class: "node-label" }, g);
    label.textContent = country;
    svgTitle(g, `${country}: ${fmt(p.deg)} events with the other actors shown`);
  }
  box.replaceChildren(root);
}

// ---------------------------------------------------------------- events table

function eventQuery(state) {
  let since = state.since, until = state.until;
  const focus = PERIOD_RE.exec(state.period);
  if (focus) {
    since = since && since > focus[1] ? since : focus[1];
    until = until && until < focus[2] ? until : focus[2];
  }
  return { source: state.source, target: state.target, type: state.type, modality: state.modality,
    text: state.text, since, until, limit: PAGE_SIZE, offset: state.page * PAGE_SIZE };
}

async function loadEvents(state) {
  const body = $("events").tBodies[0];
  const table = $("events");
  table.setAttribute("aria-busy", "true");
  drawChips(state);
  try {
    const data = await api("events", "/api/events", eventQuery(state));
    const items = Array.isArray(data.items) ? data.items : [];
    const total = Number(data.total) || 0;
    const offset = Number(data.offset) || 0;
    if (!items.length) {
      const text = total && offset ? "No events on this page: go back a page." : "No events match these filters.";
      body.replaceChildren(h("tr", { cls: "empty-row" }, h("td", { cls: "empty", text, attrs: { colspan: 6 } })));
    } else {
      body.replaceChildren(...items.map(eventRow));
    }
    $("events-count").textContent = `${fmt(total)} events`;
    $("page-info").textContent = items.length ? `${fmt(offset + 1)}–${fmt(offset + items.length)} of ${fmt(total)}` : "";
    $("prev").disabled = offset <= 0;
    $("next").disabled = offset + items.length >= total;
  } catch (err) {
    if (err.name === "AbortError") return;
    $("events-count").textContent = "";
    $("page-info").textContent = "";
    const cell = h("td", { attrs: { colspan: 6 } });
    failure(cell, "the events", err);
    body.replaceChildren(h("tr", {}, cell));
  } finally {
    table.removeAttribute("aria-busy");
  }
}

function drawChips(state) {
  const chips = $("chips");
  const focus = PERIOD_RE.exec(state.period);
  if (!focus) { chips.replaceChildren(); return; }
  const text = focus[1] === addDays(focus[2], -6) ? `week of ${focus[1]}` : focus[1] === focus[2] ? focus[1] : `${focus[1]} to ${focus[2]}`;
  const clear = h("button", { cls: "chip", text: `${text} ✕`, attrs: { type: "button", title: "Show every period", "aria-label": `Clear the period ${text}` } });
  clear.addEventListener("click", () => go({ period: "", page: 0 }));
  chips.replaceChildren(clear);
}

/**
 * The evidence sentence with the source, target and predicate spans marked.
 * Offsets are character (code point) offsets in the article text; the evidence starts at
 * span[0]. Spans out of range are clamped, empty or overlapping ones are dropped.
 */
export function highlightEvidence(event) {
  const chars = Array.from(String(event.evidence ?? ""));
  const base = Array.isArray(event.span) && Number.isInteger(event.span[0]) ? event.span[0] : 0;
  const marks = [];
  const add = (cls, label, start, end) => {
    if (!Number.isInteger(start) || !Number.isInteger(end)) return;
    const a = Math.max(0, start - base), b = Math.min(chars.length, end - base);
    if (b > a) marks.push({ cls, label, a, b });
  };
  if (event.source) add("src", "source", event.source.start, event.source.end);
  if (Array.isArray(event.trigger)) add("pred", "predicate", event.trigger[0], event.trigger[1]);
  if (event.target) add("tgt", "target", event.target.start, event.target.end);
  marks.sort((m, n) => m.a - n.a || n.b - m.b);
  const out = document.createDocumentFragment();
  let pos = 0;
  for (const m of marks) {
    if (m.a < pos) continue;
    if (m.a > pos) out.append(chars.slice(pos, m.a).join(""));
    out.append(h("mark", { cls: m.cls, text: chars.slice(m.a, m.b).join(""), attrs: { title: m.label } }));
    pos = m.b;
  }
  if (pos < chars.length) out.append(chars.slice(pos).join(""));
  return out;
}

function actorCell(actor) {
  if (!actor) return h("td", { cls: "actor none", text: "—" });
  const code = [actor.country, actor.sector].filter(Boolean).join(" ") || "?";
  const written = String(actor.text || "");
  const who = [actor.name, actor.role].filter((v) => v && String(v).toLowerCase() !== written.toLowerCase()).join(", ");
  return h("td", { cls: "actor" },
    h("span", { cls: "code", text: code }),
    h("span", { cls: "as-written", text: written }),
    who ? h("span", { cls: "who", text: who }) : null);
}

function safeUrl(url) {
  try {
    const parsed = new URL(String(url));
    return parsed.protocol === "http:" || parsed.protocol === "https:" ? parsed.href : null;
  } catch {
    return null;
  }
}

function eventRow(event) {
  const quad = [1, 2, 3, 4].includes(Number(event.quad_class)) ? Number(event.quad_class) : 0;
  const date = h("td", { cls: "date" }, h("span", { text: event.date || "—" }));
  if (event.date_precision && event.date_precision !== "day") {
    date.append(h("span", { cls: "precision", text: event.date_precision === "published" ? "publication date" : `${event.date_precision}` }));
  }
  if (event.date_text) date.setAttribute("title", `from “${event.date_text}”`);
  const kind = h("td", { cls: "kind" },
    h("span", { cls: `type q${quad}`, text: event.type || "STATEMENT", attrs: { title: quad ? QUADS[quad - 1].name : null } }),
    h("span", { cls: "cameo", text: `CAMEO ${event.cameo ?? "?"} · ${signed(event.goldstein)}` }));
  if (event.rule) kind.setAttribute("title", `rule: ${event.rule}`);
  const modality = h("td", { cls: "modality" }, h("span", { cls: `modality-badge m-${String(event.modality || "").replace(/[^a-z]/g, "")}`, text: event.modality || "asserted" }));
  if (event.speaker) modality.append(h("span", { cls: "speaker", text: `said by ${event.speaker.text || event.speaker.country || "?"}` }));
  const evidence = h("td", { cls: "evidence" }, h("p", { cls: "sentence" }, highlightEvidence(event)));
  const article = event.article && typeof event.article === "object" ? event.article : {};
  const meta = h("p", { cls: "meta" });
  const title = article.title || article.id || event.article_id || "untitled article";
  const href = safeUrl(article.url);
  meta.append(href ? h("a", { text: title, attrs: { href, rel: "noopener noreferrer nofollow", target: "_blank" } })
    : h("span", { cls: "title", text: title }));
  if (article.outlet) meta.append(h("span", { cls: "outlet", text: article.outlet }));
  if (article.published) meta.append(h("span", { cls: "published", text: String(article.published).slice(0, 10) }));
  evidence.append(meta);
  const row = h("tr", { attrs: { "data-event": event.id || null } }, date, actorCell(event.source), kind, actorCell(event.target), modality, evidence);
  return row;
}

// ---------------------------------------------------------------- main

let current = readState();

function render(state) {
  current = state;
  document.title = state.source || state.target
    ? `tocsin · ${state.source || "any"} → ${state.target || "any"}` : "tocsin · event monitor";
  syncForm(state);
  loadSeries(state);
  loadAlerts(state);
  loadNetwork(state);
  loadEvents(state);
}

async function main() {
  busy(+1);
  try {
    wireForm();
    window.addEventListener("hashchange", () => render(readState()));
    render(current);
    await loadStore();
    if (!CODE_RE.test(current.source) || !CODE_RE.test(current.target)) loadSeries(current);  // its dyad buttons
  } finally {
    document.body.dataset.ready = "1";
    busy(-1);
  }
}

main();
