// The published explorer: draws the page from the data blob and runs the
// model compiled to JavaScript (TRAJECTOIRE_MODELS) on every lever move.
// No request leaves the page: everything it needs is in this file.
"use strict";
(function () {
  const D = JSON.parse(document.getElementById("trajectoire-data").textContent);
  const MODELS = TRAJECTOIRE_MODELS;
  const PALETTE = ["#0072B2", "#56B4E9", "#009E73", "#E69F00", "#CC79A7", "#D55E00", "#F0E442"];
  const TARGET_COLOR = "#D55E00";
  const BREAK_COLOR = "#E69F00";
  const SVG = "http://www.w3.org/2000/svg";
  const $ = (id) => document.getElementById(id);

  const state = {
    lang: D.lang,
    step: 0,
    levers: [],
    bands: false,
    bySegment: false,
    run: null,
    bandsResult: null,
    bandsJob: 0,
    lastHash: null,
    durations: [],
  };
  const rows = [];
  const baselines = new Map();

  // ------------------------------------------------------------ texts

  const t = (key) => (D.strings[key] ? D.strings[key][state.lang] : key);
  const txt = (text) => (text ? text[state.lang] || text.en || "" : "");
  const colon = () => (state.lang === "fr" ? "\u00a0: " : ": ");
  const semicolon = () => (state.lang === "fr" ? "\u00a0; " : "; ");

  // Numbers as `numfmt.rs` writes them: 148 500 and 26,2 in French,
  // 148,500 and 26.2 in English, a true minus sign.
  function fmtNum(x, decimals) {
    if (!Number.isFinite(x)) return "—";
    const group = state.lang === "fr" ? "\u00a0" : ",";
    const point = state.lang === "fr" ? "," : ".";
    const s = Math.abs(x).toFixed(decimals);
    const [int, frac] = s.split(".");
    let out = x < 0 && /[1-9]/.test(s) ? "\u2212" : "";
    for (let i = 0; i < int.length; i++) {
      if (i > 0 && (int.length - i) % 3 === 0) out += group;
      out += int[i];
    }
    return frac ? out + point + frac : out;
  }
  function autoDecimals(x) {
    const a = Math.abs(x);
    if (a >= 100) return 0;
    if (a >= 10) return 1;
    if (a >= 0.1) return 2;
    return a === 0 ? 0 : 3;
  }
  const fmtAuto = (x) => fmtNum(x, autoDecimals(x));
  function fmtPct(frac, decimals) {
    if (!Number.isFinite(frac)) return "—";
    return (frac > 0 ? "+" : "") + fmtNum(frac * 100, decimals) + "\u00a0%";
  }
  function fmtTime(x) {
    const s = Number.isInteger(x) ? String(x) : String(Math.round(x * 1e6) / 1e6);
    return state.lang === "fr" ? s.replace(".", ",").replace("-", "\u2212") : s;
  }
  const withUnit = (s, unit) => (unit ? s + "\u00a0" + unit : s);
  function sourceText(md, i) {
    const s = md.sources[i];
    if (!s) return "";
    const parts = [s.title, s.date, s.url].filter((p) => p);
    let out = parts.join(", ");
    if (s.note && txt(s.note)) out += " (" + txt(s.note) + ")";
    return out;
  }

  function el(tag, attrs, children) {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v === null || v === undefined || v === false) continue;
      if (k === "text") e.textContent = v;
      else if (k === "class") e.className = v;
      else e.setAttribute(k, v === true ? "" : v);
    }
    for (const c of children || []) if (c) e.appendChild(c);
    return e;
  }

  // ------------------------------------------------------------ model

  const step = () => D.steps[state.step];
  const md = () => D.models[step().model];
  const model = () => MODELS[step().model];
  function seed() {
    try {
      return BigInt(step().seed);
    } catch (e) {
      return 1n;
    }
  }
  function simulate(levers) {
    return model().run(levers, seed());
  }
  function baseline() {
    const key = step().model + ":" + step().seed;
    if (!baselines.has(key)) baselines.set(key, simulate(md().levers.map((l) => l.default)));
    return baselines.get(key);
  }
  const nt = () => md().times.length;
  const at = (values, v, ti) => values[v * nt() + ti];
  function yearlyGrowth(from, to, years) {
    if (years <= 0 || !(from > 0) || !(to > 0) || !Number.isFinite(from) || !Number.isFinite(to)) return null;
    return Math.pow(to / from, 1 / years) - 1;
  }

  // ------------------------------------------------------------ levers

  function leverRow(moves) {
    const m = md();
    const l = m.levers[moves.first];
    const label = moves.name || txt(l.label);
    const id = "lever-" + moves.key.replace(/[^a-zA-Z0-9_-]/g, "_");
    const input = el("input", {
      type: "range", id, min: l.min, max: l.max, step: l.step, "aria-label": label, "data-lever": moves.key, title: null,
    });
    const tick = el("span", { class: "tick", "aria-hidden": "true" });
    const frac = l.max > l.min ? (l.default - l.min) / (l.max - l.min) : 0;
    tick.style.left = "calc(8px + " + (frac * 100).toFixed(3) + "% - " + (frac * 16).toFixed(3) + "px)";
    const reset = el("button", { type: "button", class: "reset" });
    const output = el("output", { for: id, class: "value" });
    const dflt = el("span", { class: "default" });
    const range = el("span", { class: "range" });
    const varies = el("p", { class: "varies", hidden: true });
    const positions = el("div", { class: "positions" });
    const shown = moves.kind === "all" ? moves.positions : l.positions;
    const buttons = shown.map((p) => {
      const b = el("button", { type: "button", class: "position" });
      b.addEventListener("click", () => setLever(moves, p.value));
      positions.appendChild(b);
      return { b, p };
    });
    const desc = [txt(l.description), l.calibration ? t("calibrationLever") : ""].filter((x) => x).join("\n\n");
    const head = el("div", { class: "lever-head" }, [
      el("label", { for: id, text: label, title: desc || null }), reset,
    ]);
    const row = el("div", { class: "lever" + (l.calibration ? " calibration" : "") }, [
      head,
      el("div", { class: "slider" }, [input, tick]),
      el("div", { class: "lever-value" }, [output, dflt, range]),
      varies,
      buttons.length ? positions : null,
    ]);
    input.addEventListener("input", () => {
      const t0 = performance.now();
      setLever(moves, parseFloat(input.value), true);
      const ms = performance.now() - t0;
      state.durations.push(ms);
      if (state.durations.length > 200) state.durations.shift();
    });
    reset.addEventListener("click", () => {
      for (let i = moves.start; i < moves.end; i++) state.levers[i] = m.levers[i].default;
      changed();
    });
    const r = { moves, l, input, reset, output, dflt, range, varies, buttons, desc };
    rows.push(r);
    return row;
  }

  function values(moves) {
    return state.levers.slice(moves.start, moves.end);
  }

  function refreshRow(r) {
    const m = md();
    const vs = values(r.moves);
    // A row shows its own values only: unchanged, nothing to redo.
    const key = state.lang + vs.join(",");
    if (r.shown === key) return;
    r.shown = key;
    const mean = vs.reduce((a, b) => a + b, 0) / Math.max(vs.length, 1);
    const unit = txt(r.l.unit);
    const d = r.l.decimals;
    if (document.activeElement !== r.input || r.input.value === "") r.input.value = mean;
    else if (Math.abs(parseFloat(r.input.value) - mean) > r.l.step / 2) r.input.value = mean;
    r.input.setAttribute("aria-valuetext", withUnit(fmtNum(mean, d), unit));
    r.output.textContent = withUnit(fmtNum(mean, d), unit);
    r.dflt.textContent = t("default") + " " + fmtNum(r.l.default, d);
    r.range.textContent = fmtNum(r.l.min, d) + "\u00a0–\u00a0" + fmtNum(r.l.max, d);
    let atDefault = true;
    for (let i = r.moves.start; i < r.moves.end; i++) if (state.levers[i] !== m.levers[i].default) atDefault = false;
    r.reset.disabled = atDefault;
    r.reset.textContent = t("reset");
    r.reset.title = t("resetTip");
    const varies = r.moves.kind === "all" && vs.some((v) => v !== vs[0]);
    r.varies.hidden = !varies;
    if (varies) {
      const lo = Math.min(...vs), hi = Math.max(...vs);
      r.varies.textContent = t("variesByElement") + " (" + fmtNum(lo, d) + "\u00a0–\u00a0" + withUnit(fmtNum(hi, d), unit) + ")";
    }
    for (const { b, p } of r.buttons) {
      const active = vs.every((v) => v === p.value);
      b.textContent = txt(p.label);
      b.classList.toggle("active", active);
      b.setAttribute("aria-pressed", active ? "true" : "false");
      let tip = t("setPosition") + colon() + withUnit(fmtNum(p.value, d), unit);
      if (p.source !== null && p.source !== undefined) tip += "\n" + t("source") + colon() + sourceText(m, p.source);
      b.title = tip;
    }
  }

  function buildLevers() {
    rows.length = 0;
    const m = md();
    const box = $("levers");
    box.textContent = "";
    for (const g of m.groups) {
      const members = m.model_levers.filter((l) => l.group === g.id && l.end > l.start);
      if (!members.length) continue;
      const body = el("div", { class: "group-body" });
      for (const ml of members) {
        if (!ml.arrayed) {
          body.appendChild(leverRow({ kind: "one", first: ml.start, start: ml.start, end: ml.start + 1, key: m.levers[ml.start].id }));
          continue;
        }
        body.appendChild(leverRow({
          kind: "all", first: ml.start, start: ml.start, end: ml.end, key: ml.id, name: txt(ml.label), positions: ml.positions,
        }));
        const each = el("details", { class: "by-element" }, [el("summary", { text: t("byElement") })]);
        for (let i = ml.start; i < ml.end; i++) {
          each.appendChild(leverRow({ kind: "one", first: i, start: i, end: i + 1, key: m.levers[i].id, name: txt(m.levers[i].element) }));
        }
        body.appendChild(each);
      }
      if (!g.id) {
        box.appendChild(body);
        continue;
      }
      // Groups of calibration levers only (the past) start folded, as in the window.
      const past = members.every((l) => l.calibration);
      box.appendChild(el("details", { class: "group", open: !past }, [el("summary", { text: txt(g.label) }), body]));
    }
  }

  function setLever(moves, value, fromSlider) {
    if (!Number.isFinite(value)) return;
    for (let i = moves.start; i < moves.end; i++) state.levers[i] = value;
    changed(fromSlider);
  }

  // Re-simulates and redraws; the bands follow once the sliders rest.
  // The address follows once a drag rests (browsers throttle history
  // changes, and it need not cost a slider's frame).
  let hashTimer = 0;
  function changed() {
    update();
    clearTimeout(hashTimer);
    hashTimer = setTimeout(writeHash, 150);
  }

  // ------------------------------------------------------------ headline

  function statuses(run) {
    const m = md();
    return m.targets.map((tg) => {
      const value = at(run.values, tg.var, tg.time);
      const gap = value - tg.value;
      const lo = tg.last_observation;
      const runGrowth = lo && lo[2] !== null ? yearlyGrowth(at(run.values, tg.var, lo[2]), value, tg.year - lo[0]) : null;
      return {
        tg, value, gap, gapFrac: tg.value !== 0 ? gap / Math.abs(tg.value) : 0, runGrowth, met: value >= tg.value,
      };
    });
  }

  function card(s) {
    const m = md();
    const unit = txt(m.series[s.tg.var].unit);
    const c = colon();
    const status = s.tg.future ? (s.met ? "onTrack" : "offTrack") : (s.met ? "met" : "missed");
    const gap = t("gap") + " " + (s.gap > 0 ? "+" : "") + withUnit(fmtNum(s.gap, autoDecimals(s.gap)), unit) + " (" + fmtPct(s.gapFrac, 1) + ")";
    const lo = s.tg.last_observation;
    let growth = "";
    if (s.tg.required !== null && s.runGrowth !== null && lo) {
      growth = t("required") + " " + t("from") + " " + lo[0] + c + fmtPct(s.tg.required, 1) + t("perYear") + semicolon()
        + t("scenarioGrowth") + " " + fmtPct(s.runGrowth, 1) + t("perYear");
    }
    const target = t("target") + " " + s.tg.year + c + withUnit(fmtAuto(s.tg.value), unit);
    return { status, label: txt(s.tg.label), value: withUnit(fmtAuto(s.value), unit), target, gap, growth, met: s.met };
  }

  function drawHeadline(run) {
    const box = $("headline");
    box.textContent = "";
    const all = statuses(run);
    const ahead = all.filter((s) => s.tg.future);
    const past = all.filter((s) => !s.tg.future);
    const cards = el("div", { class: "cards" });
    for (const s of ahead) {
      const c = card(s);
      const cited = sourceText(md(), s.tg.source);
      cards.appendChild(el("div", { class: "card " + (c.met ? "good" : "bad"), title: cited ? t("source") + colon() + cited : null }, [
        el("p", { class: "card-head" }, [el("strong", { class: "status", text: t(c.status) }), el("span", { text: " " + c.label })]),
        el("p", { class: "card-value", text: c.value }),
        el("p", { class: "card-target", text: c.target }),
        el("p", { class: "card-gap", text: c.gap }),
        c.growth ? el("p", { class: "card-growth", text: c.growth }) : null,
      ]));
    }
    if (!ahead.length) cards.appendChild(el("p", { class: "weak", text: t("noTargets") }));
    box.appendChild(cards);
    if (past.length) {
      const list = el("details", { class: "past" }, [el("summary", { text: t("pastPlans") })]);
      for (const s of past) {
        const c = card(s);
        list.appendChild(el("p", {}, [
          el("strong", { class: c.met ? "good" : "bad", text: t(c.status) }),
          el("span", { text: " " + c.label + " — " + c.value + " · " + c.target + " · " + c.gap }),
        ]));
      }
      box.appendChild(list);
    }
    if (run.problems && run.problems.length) {
      const m = md();
      for (const p of run.problems.slice(0, 3)) {
        const name = m.series[p.var] ? txt(m.series[p.var].label) : String(p.var);
        box.appendChild(el("p", { class: "problem", text: t("runProblem") + colon() + name + ", " + fmtTime(p.time) }));
      }
    }
  }

  // ------------------------------------------------------------ charts

  function shownCharts() {
    const m = md();
    const ids = step().charts;
    if (ids.length) return ids.map((id) => m.charts.find((c) => c.id === id)).filter((c) => c);
    const detail = m.charts.filter((c) => c.detail);
    const main = m.charts.filter((c) => !c.detail);
    return state.bySegment ? detail.concat(main.slice(detail.length)) : main;
  }

  function niceStep(span, count) {
    const raw = span / Math.max(count, 1);
    const p = Math.pow(10, Math.floor(Math.log10(raw)));
    const f = raw / p;
    return (f <= 1 ? 1 : f <= 2 ? 2 : f <= 2.5 ? 2.5 : f <= 5 ? 5 : 10) * p;
  }
  function ticks(lo, hi, count) {
    if (!(hi > lo)) return { lo: lo - 1, hi: hi + 1, list: [lo] };
    const s = niceStep(hi - lo, count);
    const a = Math.floor(lo / s + 1e-9) * s, b = Math.ceil(hi / s - 1e-9) * s;
    const list = [];
    for (let x = a; x <= b + s / 2; x += s) list.push(Math.abs(x) < s * 1e-9 ? 0 : x);
    return { lo: a, hi: b, list, step: s };
  }
  const tickDecimals = (s) => (s >= 1 ? 0 : Math.min(6, Math.ceil(-Math.log10(s) - 1e-9)));

  // SVG as text, set once per chart per redraw: faster than a node per mark.
  const esc = (x) => String(x).replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
  function svgEl(tag, attrs, title, text) {
    let out = "<" + tag;
    for (const [k, v] of Object.entries(attrs)) if (v !== null && v !== undefined) out += " " + k + '="' + esc(v) + '"';
    out += ">";
    if (title !== undefined) out += "<title>" + esc(title) + "</title>";
    if (text !== undefined) out += esc(text);
    return out + "</" + tag + ">";
  }
  const f1 = (x) => (Math.round(x * 10) / 10).toString();
  const pathOf = (pts) => pts.map((p, i) => (i ? "L" : "M") + f1(p[0]) + "," + f1(p[1])).join("");

  // A series as `chart`'s legend names it: its element alone (`CRM`) when
  // the chart shows one arrayed variable, else its whole label.
  function seriesName(chart, v) {
    const m = md();
    const base = (id) => id.split("[")[0];
    const one = chart.series.every((w) => base(m.series[w].id) === base(m.series[v].id));
    return (one && txt(m.series[v].element)) || txt(m.series[v].label);
  }

  // The lines of `chart` from a run: each series, cumulated when stacked.
  function lines(chart, values) {
    const n = nt();
    let below = new Float64Array(n);
    return chart.series.map((v) => {
      const own = new Float64Array(n), top = new Float64Array(n), base = below;
      for (let i = 0; i < n; i++) {
        own[i] = at(values, v, i);
        top[i] = chart.stacked ? base[i] + own[i] : own[i];
      }
      if (chart.stacked) below = top;
      return { v, own, top, base };
    });
  }

  // The inside of `chart`'s SVG at `width`, and the scales the hover reads.
  function chartBody(chart, width) {
    const m = md();
    const times = m.times;
    const sc = lines(chart, state.run.values);
    const bl = lines(chart, baseline().values);
    const total = (ls) => (chart.stacked ? [ls[ls.length - 1]] : ls);
    const obs = m.observations.filter((o) => chart.series.includes(o.var));
    const tgs = m.targets.filter((tg) => chart.series.includes(tg.var));
    const bands = state.bands && state.bandsResult && !chart.stacked
      ? chart.series.map((v, k) => [k, state.bandsResult.get(v)]).filter((b) => b[1]) : [];
    // The y range: everything drawn, and zero.
    let lo = 0, hi = 0;
    const take = (x) => { if (Number.isFinite(x)) { if (x < lo) lo = x; if (x > hi) hi = x; } };
    for (const l of sc) l.top.forEach(take);
    for (const l of total(bl)) l.top.forEach(take);
    obs.forEach((o) => take(o.value));
    tgs.forEach((tg) => take(tg.value));
    for (const [, b] of bands) { b.lo.forEach(take); b.hi.forEach(take); }
    const height = CHART_HEIGHT, ml = 58, mr = 14, mt = 24, mb = 24;
    const yt = ticks(lo, hi, 5);
    // Observations before the model's first year are history: shown too.
    let x0 = times[0];
    for (const o of obs) if (o.year < x0) x0 = o.year;
    const x1 = times[times.length - 1];
    const X = (x) => ml + ((x - x0) / (x1 - x0 || 1)) * (width - ml - mr);
    const Y = (y) => mt + (1 - (y - yt.lo) / (yt.hi - yt.lo || 1)) * (height - mt - mb);
    const out = [];
    // Projection years shaded, from the last observed year on.
    if (m.last_observed < x1) {
      const px = X(Math.max(m.last_observed, x0));
      out.push(svgEl("rect", { x: f1(px), y: mt, width: f1(X(x1) - px), height: height - mt - mb, class: "projection" }, t("projection")));
      out.push(svgEl("text", { x: f1(px + 4), y: mt + 11, class: "projection-label" }, undefined, t("projection")));
    }
    const yd = tickDecimals(yt.step || 1);
    for (const y of yt.list) {
      out.push(svgEl("line", { x1: ml, x2: width - mr, y1: f1(Y(y)), y2: f1(Y(y)), class: y === 0 ? "zero" : "grid" }));
      out.push(svgEl("text", { x: ml - 6, y: f1(Y(y) + 4), class: "ytick" }, undefined, fmtNum(y, yd)));
    }
    const xs = ticks(x0, x1, Math.max(2, Math.floor((width - ml - mr) / 70)));
    for (const x of xs.list) {
      if (x < x0 - 1e-9 || x > x1 + 1e-9) continue;
      out.push(svgEl("line", { x1: f1(X(x)), x2: f1(X(x)), y1: height - mb, y2: height - mb + 4, class: "axis" }));
      out.push(svgEl("text", { x: f1(X(x)), y: height - 6, class: "xtick" }, undefined, fmtTime(x)));
    }
    out.push(svgEl("line", { x1: ml, x2: width - mr, y1: height - mb, y2: height - mb, class: "axis" }));
    const unit = m.series[chart.series[0]] ? txt(m.series[chart.series[0]].unit) : "";
    out.push(svgEl("text", { x: 4, y: 12, class: "unit" }, undefined, unit));
    for (const bi of chart.breaks) {
      const b = m.breaks[bi];
      if (b.year < x0 || b.year > x1) continue;
      const tip = t("seriesBreak") + " " + b.year + colon() + txt(b.note) + " — " + sourceText(m, b.source);
      out.push(svgEl("line", { x1: f1(X(b.year)), x2: f1(X(b.year)), y1: mt, y2: height - mb, class: "break" }, tip));
      out.push(svgEl("text", { x: f1(X(b.year) + 3), y: height - mb - 4, class: "break-label" }, undefined, t("seriesBreak")));
    }
    for (const [k, b] of bands) {
      const up = times.map((x, i) => [X(x), Y(b.hi[i])]);
      const down = times.map((x, i) => [X(x), Y(b.lo[i])]).reverse();
      out.push(svgEl("path", { d: pathOf(up.concat(down)) + "Z", class: "band", fill: PALETTE[k % PALETTE.length] }, t("band90")));
    }
    for (const l of total(bl)) {
      out.push(svgEl("path", { d: pathOf(times.map((x, i) => [X(x), Y(l.top[i])])), class: "baseline" }, t("baseline")));
    }
    sc.forEach((l, k) => {
      const color = PALETTE[k % PALETTE.length];
      const label = seriesName(chart, l.v);
      const top = times.map((x, i) => [X(x), Y(l.top[i])]);
      if (chart.stacked) {
        const bottom = times.map((x, i) => [X(x), Y(l.base[i])]).reverse();
        out.push(svgEl("path", { d: pathOf(top.concat(bottom)) + "Z", class: "stack", fill: color }, label));
      }
      out.push(svgEl("path", { d: pathOf(top), class: "scenario", stroke: color, "data-var": m.series[l.v].id }, label));
    });
    for (const o of obs) {
      const k = chart.series.indexOf(o.var);
      const ti = times.indexOf(o.year);
      const y = chart.stacked && ti >= 0 ? sc[k].base[ti] + o.value : o.value;
      const u = txt(m.series[o.var].unit);
      const tip = txt(m.series[o.var].label) + colon() + withUnit(fmtAuto(o.value), u) + " (" + o.year + ")\n" + t("source") + colon() + sourceText(m, o.source);
      out.push(svgEl("circle", { cx: f1(X(o.year)), cy: f1(Y(y)), r: 3.5, class: "observation" }, tip));
    }
    for (const tg of tgs) {
      const cx = f1(X(tg.year)), cy = Y(tg.value), r = 6;
      const u = txt(m.series[tg.var].unit);
      const tip = txt(tg.label) + colon() + withUnit(fmtAuto(tg.value), u) + " (" + tg.year + ")\n" + t("source") + colon() + sourceText(m, tg.source);
      const d = "M" + cx + "," + f1(cy - r) + "l" + r + "," + r + "l" + (-r) + "," + r + "l" + (-r) + "," + (-r) + "Z";
      out.push(svgEl("path", { d, class: "target" }, tip));
    }
    out.push(svgEl("line", { y1: mt, y2: height - mb, class: "cursor", visibility: "hidden" }));
    return { html: out.join(""), scales: { X, sc, bl, width } };
  }

  const CHART_HEIGHT = 230;

  // A cursor that reads every line's value at the nearest saved time.
  function hover(fig) {
    const svg = fig.svg;
    svg.addEventListener("mousemove", (e) => {
      const m = md();
      const { X, sc, bl, width } = fig.scales;
      const box = svg.getBoundingClientRect();
      const x = ((e.clientX - box.left) / box.width) * width;
      let best = 0;
      m.times.forEach((tm, i) => { if (Math.abs(X(tm) - x) < Math.abs(X(m.times[best]) - x)) best = i; });
      const cursor = svg.querySelector(".cursor");
      cursor.setAttribute("x1", X(m.times[best]));
      cursor.setAttribute("x2", X(m.times[best]));
      cursor.setAttribute("visibility", "visible");
      const parts = sc.map((l, k) => {
        const u = txt(m.series[l.v].unit);
        const name = seriesName(fig.chart, l.v);
        return name + colon() + withUnit(fmtAuto(l.own[best]), u) + " (" + t("baselineShort") + " " + fmtAuto(bl[k].own[best]) + ")";
      });
      fig.readout.textContent = fmtTime(m.times[best]) + " — " + parts.join(" · ");
    });
    svg.addEventListener("mouseleave", () => {
      const cursor = svg.querySelector(".cursor");
      if (cursor) cursor.setAttribute("visibility", "hidden");
      fig.readout.textContent = "\u00a0";
    });
  }

  function legend(chart) {
    const m = md();
    const items = chart.series.map((v, k) => [PALETTE[k % PALETTE.length], seriesName(chart, v), "line"]);
    items.push(["#999", t("baseline"), "baseline"]);
    if (m.observations.some((o) => chart.series.includes(o.var))) items.push(["#222", t("observed"), "dot"]);
    if (m.targets.some((tg) => chart.series.includes(tg.var))) items.push([TARGET_COLOR, t("target"), "diamond"]);
    if (chart.breaks.length) items.push([BREAK_COLOR, t("seriesBreak"), "dash"]);
    if (state.bands && md().uncertainty && !chart.stacked) items.push([PALETTE[0], t("band90"), "band"]);
    return el("ul", { class: "legend" }, items.map(([color, label, kind]) => {
      const sw = el("span", { class: "swatch " + kind });
      sw.style.setProperty("--c", color);
      return el("li", {}, [sw, document.createTextNode(label)]);
    }));
  }

  // The charts' figures, built when what they show changes (step,
  // language, views, bands); a lever move only redraws their insides.
  let figures = [];
  let figuresKey = "";
  function drawCharts() {
    const box = $("charts");
    const charts = shownCharts();
    const key = [state.step, state.lang, state.bySegment, state.bands, charts.map((c) => c.id).join()].join("|");
    if (key !== figuresKey || !figures.length) {
      figuresKey = key;
      // Two columns from 860 px; each chart drawn at its cell's width (and
      // scaled with it, so a scroll bar appearing never wraps a chart).
      const full = box.getBoundingClientRect().width || 900;
      const cols = full > 860 && charts.length > 1 ? 2 : 1;
      box.style.gridTemplateColumns = "repeat(" + cols + ", minmax(0, 1fr))";
      const width = Math.max(280, Math.floor((full - (cols - 1) * 16) / cols));
      box.textContent = "";
      figures = charts.map((c) => {
        const svg = document.createElementNS(SVG, "svg");
        svg.setAttribute("viewBox", "0 0 " + width + " " + CHART_HEIGHT);
        svg.setAttribute("role", "img");
        svg.setAttribute("aria-label", txt(c.title));
        svg.setAttribute("class", "chart-svg");
        const readout = el("p", { class: "readout", text: "\u00a0" });
        const fig = { chart: c, svg, readout, width, scales: null };
        box.appendChild(el("figure", { class: "chart", "data-chart": c.id }, [el("figcaption", { text: txt(c.title) }), svg, readout, legend(c)]));
        hover(fig);
        return fig;
      });
    }
    for (const fig of figures) {
      const body = chartBody(fig.chart, fig.width);
      fig.svg.innerHTML = body.html;
      fig.scales = body.scales;
    }
  }

  // ------------------------------------------------------------ bands

  // 5-95 % bands from the page's Latin hypercube draws (`model::mc`'s
  // design, each draw moved with its lever), a few runs per tick so that
  // a slider stays smooth; a new move restarts them.
  function scheduleBands() {
    const u = md().uncertainty;
    state.bandsJob++;
    state.bandsResult = null;
    if (!state.bands || !u) return;
    const job = state.bandsJob;
    const vars = [...new Set(shownCharts().flatMap((c) => c.series))];
    const n = nt();
    const store = new Map(vars.map((v) => [v, new Float64Array(u.runs * n)]));
    const levers = state.levers.slice();
    const m = md();
    let k = 0;
    const chunk = () => {
      if (job !== state.bandsJob) return;
      const end = Math.min(u.runs, k + 20);
      for (; k < end; k++) {
        const x = levers.slice();
        for (const c of u.columns) {
          const l = m.levers[c.lever];
          const cur = levers[c.lever];
          const moved = c.lognormal && c.default > 0 ? (c.base[k] * cur) / c.default : c.base[k] + cur - c.default;
          x[c.lever] = Math.min(l.max, Math.max(l.min, moved));
        }
        const r = simulate(x);
        for (const [v, a] of store) for (let i = 0; i < n; i++) a[k * n + i] = r.values[v * n + i];
      }
      if (k < u.runs) {
        setTimeout(chunk, 0);
        return;
      }
      const out = new Map();
      const col = new Float64Array(u.runs);
      for (const [v, a] of store) {
        const lo = new Float64Array(n), hi = new Float64Array(n);
        for (let i = 0; i < n; i++) {
          for (let j = 0; j < u.runs; j++) col[j] = a[j * n + i];
          col.sort();
          lo[i] = quantile(col, 0.05);
          hi[i] = quantile(col, 0.95);
        }
        out.set(v, { lo, hi });
      }
      state.bandsResult = out;
      drawCharts();
      foot();
    };
    setTimeout(chunk, 120);
    foot();
  }
  function quantile(sorted, p) {
    const h = (sorted.length - 1) * p, i = Math.floor(h);
    return i + 1 < sorted.length ? sorted[i] + (h - i) * (sorted[i + 1] - sorted[i]) : sorted[i];
  }

  // ------------------------------------------------------------ the page

  // One lever move: the run, the panel, the headline, the charts; each
  // part's time kept (ms) for whoever measures the page.
  function update() {
    const t0 = performance.now();
    state.run = simulate(state.levers);
    const t1 = performance.now();
    rows.forEach(refreshRow);
    $("reset-all").disabled = state.levers.every((v, i) => v === md().levers[i].default);
    drawHeadline(state.run);
    const t2 = performance.now();
    drawCharts();
    const t3 = performance.now();
    scheduleBands();
    state.timing = { run: t1 - t0, panel: t2 - t1, charts: t3 - t2 };
  }

  function foot() {
    const u = md().uncertainty;
    let s = t("offline");
    if (state.bands && u) {
      s += " " + (state.bandsResult ? t("bandsNote").replace("{n}", fmtNum(u.runs, 0)) + "." : t("bandsComputing"));
    }
    $("foot").textContent = s;
  }

  function options() {
    const box = $("options");
    box.textContent = "";
    const m = md();
    const check = (label, on, set) => {
      const input = el("input", { type: "checkbox", checked: on });
      input.addEventListener("change", () => set(input.checked));
      return el("label", { class: "option" }, [input, document.createTextNode(" " + label)]);
    };
    if (!step().charts.length && m.charts.some((c) => c.detail)) {
      box.appendChild(check(t("bySegment"), state.bySegment, (on) => { state.bySegment = on; update(); }));
    }
    if (m.uncertainty) box.appendChild(check(t("bands"), state.bands, (on) => { state.bands = on; update(); }));
    if (step().notes) {
      box.appendChild(el("details", { class: "notes" }, [el("summary", { text: t("notes") }), el("p", { text: step().notes })]));
    }
  }

  function texts() {
    document.documentElement.lang = state.lang;
    const deck = D.deck;
    $("title").textContent = deck ? txt(deck) : txt(md().name);
    $("subtitle").textContent = deck ? txt(md().name) : step().name;
    document.title = $("title").textContent + (deck ? "" : " — " + step().name);
    $("levers-title").textContent = t("levers");
    $("reset-all").textContent = t("resetAll");
    $("download").textContent = t("download");
    $("download").title = t("downloadTip");
    $("langs").setAttribute("aria-label", t("language"));
    for (const b of $("langs").querySelectorAll("button")) b.setAttribute("aria-pressed", b.dataset.lang === state.lang ? "true" : "false");
    const story = $("story");
    story.hidden = !deck;
    if (deck) {
      const s = step();
      $("step-title").textContent = t("step") + " " + (state.step + 1) + "/" + D.steps.length + colon() + txt(s.title);
      $("step-caption").textContent = txt(s.caption);
      $("prev").textContent = "\u2190 " + t("previous");
      $("next").textContent = t("next") + " \u2192";
      $("prev").disabled = state.step === 0;
      $("next").disabled = state.step === D.steps.length - 1;
      story.title = t("stepKeys");
    }
  }

  function render() {
    texts();
    buildLevers();
    options();
    update();
    foot();
  }

  function goTo(k, levers) {
    state.step = Math.max(0, Math.min(D.steps.length - 1, k));
    state.levers = (levers || step().levers).slice();
    state.bands = !!step().bands && !!md().uncertainty;
    state.bySegment = !!step().by_segment;
    render();
  }

  // ------------------------------------------------------------ address

  // `#id=value&id[element]=value`: the levers that differ from the default
  // (`#default` when all are at it but the scenario's are not); a deck adds
  // `step=N`. An id's `[` `]` stay readable.
  const encodeId = (id) => encodeURIComponent(id).replace(/%5B/g, "[").replace(/%5D/g, "]").replace(/%2C/g, ",");
  function hashOf() {
    const m = md();
    const parts = D.deck ? ["step=" + (state.step + 1)] : [];
    const same = state.levers.every((v, i) => v === step().levers[i]);
    if (!same) {
      const diff = [];
      state.levers.forEach((v, i) => { if (v !== m.levers[i].default) diff.push(encodeId(m.levers[i].id) + "=" + String(v)); });
      parts.push(...(diff.length ? diff : ["default"]));
    }
    return parts.length ? "#" + parts.join("&") : "";
  }
  function writeHash() {
    const h = hashOf();
    state.lastHash = h;
    const url = location.href.split("#")[0] + h;
    try {
      history.replaceState(null, "", url);
    } catch (e) {
      if (location.hash !== h) location.hash = h;
    }
  }

  // Reads the address: a step, then lever values over the defaults; what
  // cannot be read is said in the note, never thrown.
  function readHash() {
    const raw = location.hash.replace(/^#/, "");
    state.lastHash = location.hash;
    const bad = [];
    let k = 0, sets = [], defaults = false;
    for (const part of raw.split("&").filter((p) => p)) {
      let key, value;
      try {
        const eq = part.indexOf("=");
        key = decodeURIComponent(eq < 0 ? part : part.slice(0, eq));
        value = eq < 0 ? null : decodeURIComponent(part.slice(eq + 1));
      } catch (e) {
        bad.push(part);
        continue;
      }
      if (key === "default" && value === null) defaults = true;
      else if (key === "step" && D.deck) {
        const n = Number(value);
        if (Number.isInteger(n) && n >= 1 && n <= D.steps.length) k = n - 1;
        else bad.push(part);
      } else sets.push([key, value, part]);
    }
    const s = D.steps[k];
    const m = D.models[s.model];
    // Lever values over the defaults; an address with none that reads
    // (nor `default`) leaves the scenario's.
    const read = [];
    for (const [key, value, part] of sets) {
      let range = null;
      const i = m.levers.findIndex((l) => l.id === key);
      if (i >= 0) range = [i, i + 1];
      else {
        const ml = m.model_levers.find((l) => l.id === key && l.end > l.start);
        if (ml) range = [ml.start, ml.end];
      }
      const x = value === null || value.trim() === "" ? NaN : Number(value);
      if (!range) { bad.push(part + " (" + t("unknownLever") + ")"); continue; }
      const l = m.levers[range[0]];
      if (!Number.isFinite(x) || x < l.min || x > l.max) { bad.push(part + " (" + t("outOfRange") + " " + fmtNum(l.min, l.decimals) + "\u00a0–\u00a0" + fmtNum(l.max, l.decimals) + ")"); continue; }
      read.push([range, x]);
    }
    const levers = read.length || defaults ? m.levers.map((l) => l.default) : s.levers.slice();
    for (const [range, x] of read) for (let j = range[0]; j < range[1]; j++) levers[j] = x;
    const note = $("note");
    note.hidden = !bad.length;
    note.textContent = bad.length ? t("badFragment") + " " + bad.join(", ") : "";
    goTo(k, levers);
  }

  // ------------------------------------------------------------ download

  // The scenario file of these levers: the desktop's own text, as saved
  // by `scenario::to_ron`, with the lever values written in.
  function ronNumber(x) {
    if (Number.isInteger(x) && Math.abs(x) < 1e16) return x.toFixed(1);
    return String(x);
  }
  function scenarioText() {
    const s = step();
    const m = md();
    const ids = m.levers.map((l, i) => [l.id, state.levers[i]]);
    ids.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
    const body = ids.map(([id, v]) => s.ron_indent + JSON.stringify(id) + ": " + ronNumber(v) + ",\n").join("");
    return s.ron_head + body + s.ron_tail;
  }
  function download() {
    const blob = new Blob([scenarioText()], { type: "application/octet-stream" });
    const a = el("a", { href: URL.createObjectURL(blob), download: (step().name || "scenario").replace(/[\\/:*?"<>|]+/g, "_").trim() + ".ron" });
    document.body.appendChild(a);
    a.click();
    setTimeout(() => { URL.revokeObjectURL(a.href); a.remove(); }, 1000);
  }

  // ------------------------------------------------------------ events

  $("reset-all").addEventListener("click", () => {
    state.levers = md().levers.map((l) => l.default);
    changed();
  });
  $("download").addEventListener("click", download);
  for (const b of $("langs").querySelectorAll("button")) {
    b.addEventListener("click", () => {
      state.lang = b.dataset.lang;
      render();
    });
  }
  const stepBy = (d) => {
    if (!D.deck) return;
    const k = state.step + d;
    if (k < 0 || k >= D.steps.length) return;
    goTo(k);
    writeHash();
  };
  $("prev").addEventListener("click", () => stepBy(-1));
  $("next").addEventListener("click", () => stepBy(1));
  document.addEventListener("keydown", (e) => {
    if (!D.deck || e.altKey || e.ctrlKey || e.metaKey) return;
    const tag = e.target && e.target.tagName;
    // A focused slider takes its arrows, a button its space.
    if (tag === "INPUT" || tag === "TEXTAREA" || tag === "SELECT") return;
    const back = e.key === "ArrowLeft" || e.key === "PageUp";
    const on = e.key === "ArrowRight" || e.key === "PageDown" || (e.key === " " && tag !== "BUTTON" && tag !== "SUMMARY");
    if (back || on) {
      e.preventDefault();
      stepBy(back ? -1 : 1);
    }
  });
  window.addEventListener("hashchange", () => {
    if (location.hash !== state.lastHash) readHash();
  });
  let resizing = 0;
  window.addEventListener("resize", () => {
    clearTimeout(resizing);
    resizing = setTimeout(() => { figuresKey = ""; drawCharts(); }, 100);
  });

  // For tests and for whoever inspects the page.
  window.trajectoire = {
    state,
    scenarioText,
    lever: (id) => {
      const i = md().levers.findIndex((l) => l.id === id);
      return i < 0 ? null : state.levers[i];
    },
    lastInputMs: () => state.durations[state.durations.length - 1],
    durations: () => state.durations.slice(),
  };
  readHash();
})();
