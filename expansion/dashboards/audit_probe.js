// What expansion/dashboards/audit.py checks in each loaded page (see its docstring).
(async () => {
  const problems = [];
  const bad = [
    [/\bNaN\b/, "NaN"], [/\bNone\b/, "None"], [/\bnull\b/, "null"], [/\bundefined\b/, "undefined"],
    [/^[a-z0-9]+(?:_[a-z0-9]+)+$/, "a raw code"], [/\d\.\d{5,}/, "more than 4 decimals"],
  ];
  const check = (where, text) => {
    const value = (text || "").trim();
    for (const [pattern, what] of bad) {
      if (pattern.test(value)) problems.push(`${what} in ${where}: ${JSON.stringify(value)}`);
    }
  };
  document.querySelectorAll(".error").forEach((e) => problems.push(`error box: ${e.textContent.trim().slice(0, 300)}`));
  const mainText = document.querySelector("main").innerText;
  const leaked = mainText.match(/<(BigValue|DataTable|LineChart|BarChart|AreaChart|Heatmap|Dropdown|Column|Reference\w+)\b/);
  if (leaked) problems.push(`unrendered component: ${leaked[0]}`);
  for (const figure of document.querySelectorAll("figure.chart")) {
    const plot = figure.querySelector(".plot");
    const title = (plot.layout && plot.layout.title && plot.layout.title.text) || "untitled chart";
    const points = (plot.data || []).reduce((n, t) => n + (t.z || t.y || []).filter((v) => v !== null).length, 0);
    if (!figure.querySelector(".main-svg") || points === 0) problems.push(`empty chart: ${title}`);
    figure.querySelectorAll(".xtick text, .ytick text, .legendtext, .annotation-text").forEach((t) => check(`chart "${title}"`, t.textContent));
  }
  document.querySelectorAll(".data-table").forEach((table, i) => {
    const scroll = table.querySelector(".table-scroll");
    if (scroll.scrollWidth > scroll.clientWidth + 1) {
      problems.push(`table ${i + 1} is ${scroll.scrollWidth}px wide in a ${scroll.clientWidth}px column`);
    }
    table.querySelectorAll("th, td").forEach((cell) => check(`table ${i + 1}`, cell.textContent));
  });
  document.querySelectorAll(".big-value p, .dropdown option").forEach((e) => check("a card", e.textContent));
  const links = [...document.querySelectorAll("a[href]")].map((a) => a.href);
  return JSON.stringify({ problems, links, title: document.title, tables: document.querySelectorAll(".data-table").length, charts: document.querySelectorAll("figure.chart").length });
})()
