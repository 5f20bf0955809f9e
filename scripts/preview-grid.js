// Browser script of the preview page: draws the fake workbook (from the pane's frame) as a simple grid,
// one tab per sheet, and redraws after every change the pane makes.
/* global document, setTimeout */
"use strict";
(function () {
  const frame = document.getElementById("pane");
  const tabs = document.getElementById("tabs");
  const grid = document.getElementById("grid");
  let current = null;
  let lastKey = "";
  let lastSelection = "null";

  /** "$A$11:$E$11" → { r1, c1, r2, c2 } (0-based). */
  function parseRange(address) {
    const ends = address
      .replace(/\$/g, "")
      .split(":")
      .map((p) => {
        const m = /^([A-Z]+)(\d+)$/.exec(p);
        return { r: Number(m[2]) - 1, c: [...m[1]].reduce((n, ch) => n * 26 + ch.charCodeAt(0) - 64, 0) - 1 };
      });
    const end = ends[1] || ends[0];
    return { r1: ends[0].r, c1: ends[0].c, r2: end.r, c2: end.c };
  }

  function colName(c) {
    let s = "";
    for (c += 1; c > 0; c = Math.floor((c - 1) / 26)) s = String.fromCharCode(65 + ((c - 1) % 26)) + s;
    return s;
  }
  function text(v) {
    if (v === null || v === undefined) return "";
    if (typeof v === "object") return v.error;
    if (typeof v === "number")
      return Math.round(v * 100) / 100 === v ? v.toLocaleString("sv-SE") : v.toFixed(2);
    return String(v);
  }
  function render(model) {
    tabs.replaceChildren(
      ...model.sheets.map((s) => {
        const b = document.createElement("button");
        b.textContent = s.name;
        b.setAttribute("aria-pressed", String(s.name === current));
        b.addEventListener("click", () => {
          current = s.name;
          lastKey = "";
        });
        return b;
      }),
    );
    const sheet = model.sheets.find((s) => s.name === current);
    if (!sheet) return grid.replaceChildren();
    let rows = 0;
    let cols = 0;
    for (const [r, row] of sheet.cells) {
      if (row.size > 0) rows = Math.max(rows, r + 1);
      for (const c of row.keys()) cols = Math.max(cols, c + 1);
    }
    const sel =
      model.selection && model.selection.sheet === sheet.name ? parseRange(model.selection.address) : null;
    const table = document.createElement("table");
    const head = table.insertRow();
    head.appendChild(document.createElement("th"));
    for (let c = 0; c < cols; c++)
      head.appendChild(Object.assign(document.createElement("th"), { textContent: colName(c) }));
    for (let r = 0; r < rows; r++) {
      const tr = table.insertRow();
      tr.appendChild(Object.assign(document.createElement("th"), { textContent: String(r + 1) }));
      for (let c = 0; c < cols; c++) {
        const cell = sheet.get(r, c);
        const td = tr.insertCell();
        const v = cell ? cell.value : null;
        td.textContent = text(v);
        if (typeof v === "number") td.className = "num";
        if (sel && r >= sel.r1 && r <= sel.r2 && c >= sel.c1 && c <= sel.c2) td.classList.add("sel");
      }
    }
    grid.replaceChildren(table);
  }
  function tick() {
    const fake = frame.contentWindow && frame.contentWindow.__uppfoljarenFake;
    if (fake) {
      const model = fake.model;
      if (!current && model.sheets.length)
        current = (model.sheets.find((s) => s.name === "Underlag") || model.sheets[0]).name;
      const selection = JSON.stringify(model.selection);
      if (selection !== lastSelection) {
        lastSelection = selection;
        if (model.selection && model.sheets.some((s) => s.name === model.selection.sheet))
          current = model.selection.sheet;
      }
      const key = [fake.syncCount, current, model.sheets.length, JSON.stringify(model.selection)].join("|");
      if (key !== lastKey) {
        lastKey = key;
        render(model);
      }
    }
    setTimeout(tick, 300);
  }
  tick();
})();
