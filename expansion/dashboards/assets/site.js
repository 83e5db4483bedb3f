// The site's behaviour, offline and from file:// (no fetch, no other host):
// tables (sort, search, Dropdown filters, paging, CSV download), charts drawn
// with plotly from their inline figure JSON, and pages that load on demand.
(function () {
  "use strict";
  const inputs = {};
  const tables = [];

  function cellText(cell) {
    return Array.isArray(cell) ? cell[0] : cell;
  }

  function compare(a, b) {
    if (a === null && b === null) return 0;
    if (a === null) return 1;
    if (b === null) return -1;
    if (typeof a === "number" && typeof b === "number") return a - b;
    return String(a).localeCompare(String(b), undefined, { numeric: true, sensitivity: "base" });
  }

  function visibleRows(state) {
    const data = state.data;
    let rows = data.rows.map((_, i) => i);
    for (const filter of data.filters) {
      const chosen = inputs[filter.input];
      if (chosen !== undefined && chosen !== "%") {
        rows = rows.filter((i) => String(filter.values[i]) === chosen);
      }
    }
    if (state.search) {
      rows = rows.filter((i) =>
        data.rows[i][0].some((cell) => String(cellText(cell)).toLowerCase().includes(state.search))
      );
    }
    if (state.sort) {
      const [column, direction] = state.sort;
      rows.sort((i, j) => {
        const a = data.rows[i][1][column];
        const b = data.rows[j][1][column];
        if (a === null || b === null) return compare(a, b);
        return direction === "desc" ? compare(b, a) : compare(a, b);
      });
    }
    return rows;
  }

  function rowElement(state, row) {
    const tr = document.createElement("tr");
    const [cells, , href] = row;
    if (href) tr.dataset.href = href;
    cells.forEach((cell, i) => {
      const td = document.createElement("td");
      const column = state.data.columns[i];
      td.className = [column.num && "num", column.date && "date", column.pin && "pinned"].filter(Boolean).join(" ");
      if (Array.isArray(cell)) {
        const a = document.createElement("a");
        a.href = cell[1];
        a.textContent = cell[0];
        td.appendChild(a);
      } else {
        td.textContent = cell;
      }
      tr.appendChild(td);
    });
    return tr;
  }

  function button(label, onClick, disabled) {
    const b = document.createElement("button");
    b.type = "button";
    b.textContent = label;
    b.disabled = disabled;
    b.addEventListener("click", onClick);
    return b;
  }

  function draw(state) {
    const rows = visibleRows(state);
    const size = state.data.pageSize;
    const pages = Math.max(1, Math.ceil(rows.length / size));
    state.page = Math.min(state.page, pages - 1);
    const shown = rows.slice(state.page * size, (state.page + 1) * size);
    state.tbody.replaceChildren(...shown.map((i) => rowElement(state, state.data.rows[i])));
    state.headers.forEach((th, i) => {
      const sorted = state.sort && state.sort[0] === i;
      th.setAttribute("aria-sort", sorted ? (state.sort[1] === "desc" ? "descending" : "ascending") : "none");
    });
    state.pager.replaceChildren();
    if (!state.data.rows.length) return;
    const first = rows.length ? state.page * size + 1 : 0;
    const note = document.createElement("span");
    note.className = "table-count";
    note.textContent =
      rows.length === state.data.rows.length
        ? `${first.toLocaleString("en-US")}-${(state.page * size + shown.length).toLocaleString("en-US")} of ${rows.length.toLocaleString("en-US")} rows`
        : `${first.toLocaleString("en-US")}-${(state.page * size + shown.length).toLocaleString("en-US")} of ${rows.length.toLocaleString("en-US")} matching rows (${state.data.rows.length.toLocaleString("en-US")} in all)`;
    state.pager.appendChild(note);
    if (pages > 1) {
      state.pager.appendChild(button("Previous", () => { state.page -= 1; draw(state); }, state.page === 0));
      state.pager.appendChild(button("Next", () => { state.page += 1; draw(state); }, state.page >= pages - 1));
    }
    state.visible = rows;
  }

  function csvField(value) {
    if (value === null || value === undefined) return "";
    const text = String(value);
    return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
  }

  function download(state) {
    const lines = [state.data.columns.map((c) => csvField(c.title)).join(",")];
    for (const i of state.visible) lines.push(state.data.rows[i][1].map(csvField).join(","));
    const blob = new Blob([lines.join("\r\n") + "\r\n"], { type: "text/csv;charset=utf-8" });
    const a = document.createElement("a");
    a.href = URL.createObjectURL(blob);
    a.download = `${state.data.name}.csv`;
    document.body.appendChild(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(a.href), 10000);
  }

  function initTable(root) {
    const data = JSON.parse(root.querySelector("script.table-data").textContent);
    const state = { data, root, page: 0, search: "", sort: data.sort, visible: [] };
    state.tbody = root.querySelector("tbody");
    state.headers = [...root.querySelectorAll("thead th")];
    const tools = document.createElement("div");
    tools.className = "table-tools";
    if (data.search) {
      const search = document.createElement("input");
      search.type = "search";
      search.placeholder = "Search";
      search.setAttribute("aria-label", "Search the table");
      search.addEventListener("input", () => {
        state.search = search.value.trim().toLowerCase();
        state.page = 0;
        draw(state);
      });
      tools.appendChild(search);
    }
    if (data.download && data.rows.length) {
      const b = button("Download CSV", () => download(state), false);
      b.className = "table-download";
      tools.appendChild(b);
    }
    if (tools.children.length) root.insertBefore(tools, root.firstChild);
    if (data.sortable) {
      state.headers.forEach((th, i) => {
        th.classList.add("sortable");
        th.tabIndex = 0;
        const toggle = () => {
          const descending = !(state.sort && state.sort[0] === i && state.sort[1] === "desc");
          state.sort = [i, descending ? "desc" : "asc"];
          draw(state);
        };
        th.addEventListener("click", toggle);
        th.addEventListener("keydown", (e) => { if (e.key === "Enter") toggle(); });
      });
    }
    const note = root.querySelector(".table-note");
    if (note) note.remove();
    state.pager = document.createElement("div");
    state.pager.className = "table-pager";
    root.appendChild(state.pager);
    state.tbody.addEventListener("click", (e) => {
      const tr = e.target.closest("tr[data-href]");
      if (tr && !e.target.closest("a")) window.location.href = tr.dataset.href;
    });
    tables.push(state);
    draw(state);
  }

  function drawChart(figure) {
    const spec = JSON.parse(figure.querySelector("script.plot-spec").textContent);
    const plot = figure.querySelector(".plot");
    const shapes = spec.layout.shapes || [];
    // bands with an open end reach the edge of the axis the data spans
    const open = shapes.filter((s) => s.name === "open-max" || s.name === "open-min");
    spec.layout.shapes = shapes.filter((s) => !open.includes(s));
    Plotly.newPlot(plot, spec.data, spec.layout, { displayModeBar: false, responsive: true });
    const updates = wholeTickSteps(plot);
    if (open.length) {
      const axis = open[0].yref === "x" ? "xaxis" : "yaxis";
      const range = plot._fullLayout[axis].range.slice();
      for (const shape of open) {
        const end = axis === "yaxis" ? "y" : "x";
        if (shape.name === "open-max") shape[`${end}1`] = range[1];
        else shape[`${end}0`] = range[0];
      }
      Object.assign(updates, { [`${axis}.range`]: range, shapes: shapes });
    }
    if (Object.keys(updates).length) Plotly.relayout(plot, updates);
  }

  // A tick format with a fixed number of decimals cannot show a finer step: a flat $4,843
  // series would read $4,843, $4,843, $4,844. Such an axis steps by its format's unit.
  function wholeTickSteps(plot) {
    const updates = {};
    for (const axis of ["xaxis", "yaxis"]) {
      const full = plot._fullLayout[axis];
      const format = full && full.type === "linear" && /\.(\d)([f%])$/.exec(full.tickformat || "");
      if (!format) continue;
      const unit = 10 ** -(Number(format[1]) + (format[2] === "%" ? 2 : 0));
      if (full.dtick < unit) updates[`${axis}.dtick`] = unit;
    }
    return updates;
  }

  function initPage(root) {
    root.querySelectorAll("select[data-input]").forEach((select) => {
      inputs[select.dataset.input] = select.value;
      select.addEventListener("change", () => {
        inputs[select.dataset.input] = select.value;
        tables.forEach((state) => { state.page = 0; draw(state); });
      });
    });
    root.querySelectorAll(".data-table").forEach(initTable);
    if (window.Plotly) root.querySelectorAll("figure.chart").forEach(drawChart);
  }

  function loadOnDemand(holder) {
    const key = window.location.hash.slice(1);
    window.showOnDemandPage = (page) => {
      document.title = `${page.title} · Expansion revenue`;
      const main = holder.closest("main");
      main.innerHTML = page.body;
      initPage(main);
    };
    if (!key) return;
    const script = document.createElement("script");
    script.src = `data/${encodeURIComponent(key)}.js`;
    script.onerror = () => {
      holder.querySelector("p").textContent = `No page for "${decodeURIComponent(key)}".`;
    };
    document.body.appendChild(script);
    window.addEventListener("hashchange", () => window.location.reload());
  }

  const holder = document.getElementById("on-demand");
  if (holder) loadOnDemand(holder);
  else initPage(document);
})();
