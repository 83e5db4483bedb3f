// What expansion/dashboards/audit.py checks in each loaded page (see its docstring).
(async () => {
  const problems = [];
  const bad = [
    [/\bNaN\b/, "NaN"], [/\bNone\b/, "None"], [/\bnull\b/, "null"], [/\bundefined\b/, "undefined"],
    [/^[a-z0-9]+(?:_[a-z0-9]+)+$/, "a raw code"], [/\d\.\d{5,}/, "more than 4 decimals"],
  ];
  const check = (where, text) => {
    const value = String(text ?? "").trim();
    for (const [pattern, what] of bad) {
      if (pattern.test(value)) problems.push(`${what} in ${where}: ${JSON.stringify(value)}`);
    }
  };
  const errorBoxes = [...document.querySelectorAll(".error")];
  errorBoxes.forEach((e) => problems.push(`error box: ${e.textContent.trim().slice(0, 300)}`));
  // markup left as text, outside the error boxes (which name the component they replace)
  const mainText = errorBoxes.reduce((text, e) => text.replace(e.innerText, ""), document.querySelector("main").innerText);
  const leaked = mainText.match(/<(BigValue|DataTable|LineChart|BarChart|AreaChart|Heatmap|Dropdown|Column|Reference\w+)\b/);
  if (leaked) problems.push(`unrendered component: ${leaked[0]}`);
  const overflow = document.documentElement.scrollWidth - document.documentElement.clientWidth;
  if (overflow > 1) problems.push(`the page scrolls sideways by ${overflow}px`);

  // Charts: what plotly will write comes from the figure's own JSON (its points, legend,
  // category ticks and labels), checked whether or not plotly.js was served; when it was,
  // the drawn chart and its tick texts too. `layouts` tells the caller which charts draw
  // alike: the same layout, the same kinds of traces, as few points as each trace has
  // (1, 2, 3 or more), and, on a numeric axis whose format has no fixed decimals (none,
  // or SI prefixes), the same order of magnitude of its values and of their spread. (A
  // fixed-decimals axis steps by at least its format's unit, site.js: its tick labels can
  // differ from page to page, never repeat.)
  const drawn = Boolean(window.Plotly);
  const layouts = [];
  const valuesOf = (trace) => (trace.type === "heatmap" ? trace.z.flat() : trace.orientation === "h" ? trace.x : trace.y);
  const present = (values) => (values || []).filter((v) => v !== null && v !== undefined);
  for (const figure of document.querySelectorAll("figure.chart")) {
    const spec = JSON.parse(figure.querySelector("script.plot-spec").textContent);
    const layout = spec.layout;
    const title = (layout.title && layout.title.text) || "untitled chart";
    const where = `chart "${title}"`;
    if (spec.data.every((t) => present(valuesOf(t)).length === 0)) problems.push(`empty chart: ${title}`);
    if (layout.showlegend) spec.data.forEach((t) => check(`${where} legend`, t.name));
    const magnitudes = [];
    for (const [axis, key] of [["xaxis", "x"], ["yaxis", "y"]]) {
      const settings = layout[axis] || {};
      const values = spec.data.flatMap((t) => present(t[key]));
      if (settings.type === "category") values.forEach((v) => check(`${where} axis`, v));
      else if (!settings.type && !/\.\d[f%]$/.test(settings.tickformat || "") && values.length && values.every((v) => typeof v === "number")) {
        // ticks without a fixed number of decimals follow the data's size and spread
        const size = Math.max(...values.map(Math.abs)), spread = Math.max(...values) - Math.min(...values);
        magnitudes.push([size, spread].map((v) => (v > 0 ? Math.floor(Math.log10(v)) : null)));
      }
    }
    (layout.annotations || []).forEach((a) => check(`${where} label`, a.text));
    if (drawn) {
      if (!figure.querySelector(".main-svg")) problems.push(`chart not drawn: ${title}`);
      figure.querySelectorAll(".xtick text, .ytick text, .legendtext, .annotation-text").forEach((t) => check(where, t.textContent));
      for (const axis of [".xtick text", ".ytick text", ".colorbar text"]) {
        const ticks = [...figure.querySelectorAll(axis)].map((t) => t.textContent);
        if (new Set(ticks).size < ticks.length) problems.push(`repeated tick labels in ${where}: ${ticks.join(", ")}`);
      }
    }
    const traces = spec.data.map((t) => [t.type, t.mode, t.orientation, t.name, Math.min(present(valuesOf(t)).length, 3)]);
    layouts.push(JSON.stringify([layout, traces, magnitudes]));
  }

  // Tables: wider than their column is a problem, except in the site's narrow layout
  // (900 px and less, site.css) for a table that scrolls sideways with the column that
  // names its rows pinned in view.
  const narrow = window.innerWidth <= 900;
  document.querySelectorAll(".data-table").forEach((table, i) => {
    const scroll = table.querySelector(".table-scroll");
    if (scroll.scrollWidth > scroll.clientWidth + 1) {
      const scrolls = ["auto", "scroll"].includes(getComputedStyle(scroll).overflowX);
      const pinned = [...table.querySelectorAll("thead th")].some((th) => getComputedStyle(th).position === "sticky");
      if (!(narrow && scrolls && pinned)) {
        problems.push(`table ${i + 1} is ${scroll.scrollWidth}px wide in a ${scroll.clientWidth}px column`);
      }
    }
    table.querySelectorAll("th, td").forEach((cell) => check(`table ${i + 1}`, cell.textContent));
  });
  document.querySelectorAll(".big-value p, .dropdown option").forEach((e) => check("a card", e.textContent));
  const links = [...document.querySelectorAll("a[href]")].map((a) => a.href);
  const source = document.querySelector("footer code");
  return JSON.stringify({ problems, links, layouts, kind: source ? source.textContent : "", title: document.title });
})()
