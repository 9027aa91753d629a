// The calendar of the date boxes (onehome/core/widgets.py): a button beside each box opens a
// month grid in the page's language, Buddhist-era years in Thai. Choosing a day writes it
// into the box as typed text ("14/12/2569", or "14/12/2026" in English); the server reads it
// (onehome/core/thai_dates.py). Keyboard: arrows move by a day or a week, Page Up/Down by a
// month (with Shift by a year), Home/End to the week's ends, Enter or Space chooses, Escape
// closes. No inline script (docs/decisions/0009-content-security-policy.md).
(function () {
  "use strict";

  const OFFSET = 543;
  const NAMES = {
    th: {
      months: ["มกราคม", "กุมภาพันธ์", "มีนาคม", "เมษายน", "พฤษภาคม", "มิถุนายน", "กรกฎาคม",
        "สิงหาคม", "กันยายน", "ตุลาคม", "พฤศจิกายน", "ธันวาคม"],
      days: ["อา", "จ", "อ", "พ", "พฤ", "ศ", "ส"],
      dayNames: ["อาทิตย์", "จันทร์", "อังคาร", "พุธ", "พฤหัสบดี", "ศุกร์", "เสาร์"],
    },
    en: {
      months: ["January", "February", "March", "April", "May", "June", "July", "August",
        "September", "October", "November", "December"],
      days: ["Su", "Mo", "Tu", "We", "Th", "Fr", "Sa"],
      dayNames: ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"],
    },
  };
  const THAI_DIGITS = "๐๑๒๓๔๕๖๗๘๙";

  let open = null; // {dialog, input, button, view: Date (1st of month), focus: Date}

  function pad(n) { return (n < 10 ? "0" : "") + n; }
  function sameDay(a, b) {
    return a && b && a.getFullYear() === b.getFullYear() && a.getMonth() === b.getMonth() &&
      a.getDate() === b.getDate();
  }
  function isBE(input) { return input.dataset.era === "be"; }
  function names(input) { return isBE(input) ? NAMES.th : NAMES.en; }
  function shownYear(input, year) { return isBE(input) ? year + OFFSET : year; }

  // The date in the box (typed in either era), or null.
  function readBox(input) {
    let text = input.value.trim().replace(/[๐-๙]/g, (d) => String(THAI_DIGITS.indexOf(d)));
    let m = text.match(/^(\d{4})-(\d{1,2})-(\d{1,2})/);
    let y, mo, d;
    if (m) { y = +m[1]; mo = +m[2]; d = +m[3]; } else {
      m = text.match(/^(\d{1,2})\s*[/.\-\s]\s*(\d{1,2})\s*[/.\-\s]\s*(\d{4})/);
      if (!m) return null;
      d = +m[1]; mo = +m[2]; y = +m[3];
    }
    if (y >= 2400) y -= OFFSET;
    const date = new Date(y, mo - 1, d);
    return date.getMonth() === mo - 1 ? date : null;
  }

  function writeBox(input, date) {
    let text = pad(date.getDate()) + "/" + pad(date.getMonth() + 1) + "/" +
      shownYear(input, date.getFullYear());
    if (input.dataset.thaiDate === "datetime") {
      const time = input.value.trim().match(/\s(\d{1,2}[:.]\d{2})$/);
      text += " " + (time ? time[1] : "09:00");
    }
    input.value = text;
    input.dispatchEvent(new Event("input", { bubbles: true }));
    input.dispatchEvent(new Event("change", { bubbles: true }));
  }

  function el(tag, attrs, text) {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) node.setAttribute(k, v);
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function build(button, input) {
    const l = button.dataset;
    const n = names(input);
    const dialog = el("div", { class: "thai-date-dialog", role: "dialog", "aria-modal": "true",
      "aria-label": l.labelDialog });
    const head = el("div", { class: "thai-date-head" });
    const prev = el("button", { type: "button", class: "btn btn-sm btn-outline-secondary",
      "aria-label": l.labelPrevious, "data-step": "-1" }, "‹");
    const next = el("button", { type: "button", class: "btn btn-sm btn-outline-secondary",
      "aria-label": l.labelNext, "data-step": "1" }, "›");
    const month = el("select", { class: "form-select form-select-sm", "aria-label": l.labelMonth,
      "data-part": "month" });
    n.months.forEach((name, i) => month.append(el("option", { value: i }, name)));
    const year = el("select", { class: "form-select form-select-sm", "aria-label": l.labelYear,
      "data-part": "year" });
    const thisYear = new Date().getFullYear();
    for (let y = thisYear + 15; y >= thisYear - 125; y--) {
      year.append(el("option", { value: y }, String(shownYear(input, y))));
    }
    head.append(prev, month, year, next);
    const grid = el("table", { class: "thai-date-grid", role: "grid" });
    const headRow = el("tr");
    n.days.forEach((d, i) => headRow.append(el("th", { scope: "col", abbr: n.dayNames[i] }, d)));
    grid.append(el("thead"), el("tbody"));
    grid.tHead.append(headRow);
    const foot = el("div", { class: "thai-date-foot" });
    foot.append(
      el("button", { type: "button", class: "btn btn-sm btn-link", "data-act": "today" },
        l.labelToday),
      el("button", { type: "button", class: "btn btn-sm btn-secondary", "data-act": "close" },
        l.labelClose),
    );
    const live = el("div", { class: "visually-hidden", "aria-live": "polite" });
    dialog.append(head, grid, foot, live);
    return dialog;
  }

  function render(state) {
    const { dialog, input, view, focus } = state;
    const n = names(input);
    const chosen = readBox(input);
    const today = new Date();
    dialog.querySelector("[data-part=month]").value = String(view.getMonth());
    const yearSelect = dialog.querySelector("[data-part=year]");
    if (!yearSelect.querySelector(`option[value="${view.getFullYear()}"]`)) {
      yearSelect.append(el("option", { value: view.getFullYear() },
        String(shownYear(input, view.getFullYear()))));
    }
    yearSelect.value = String(view.getFullYear());
    const body = dialog.querySelector("tbody");
    body.replaceChildren();
    const first = new Date(view.getFullYear(), view.getMonth(), 1);
    let day = new Date(first);
    day.setDate(1 - first.getDay());
    for (let week = 0; week < 6; week++) {
      const row = el("tr");
      for (let i = 0; i < 7; i++) {
        const cell = el("td", { role: "gridcell" });
        if (day.getMonth() === view.getMonth()) {
          const label = day.getDate() + " " + n.months[day.getMonth()] + " " +
            shownYear(input, day.getFullYear());
          const b = el("button", { type: "button", class: "thai-date-day",
            "data-day": `${day.getFullYear()}-${pad(day.getMonth() + 1)}-${pad(day.getDate())}`,
            "aria-label": label, tabindex: sameDay(day, focus) ? "0" : "-1" },
          String(day.getDate()));
          if (sameDay(day, chosen)) {
            b.setAttribute("aria-pressed", "true");
            cell.setAttribute("aria-selected", "true");
          }
          if (sameDay(day, today)) b.setAttribute("aria-current", "date");
          cell.append(b);
        }
        row.append(cell);
        day.setDate(day.getDate() + 1);
      }
      body.append(row);
    }
    dialog.querySelector("[aria-live]").textContent =
      n.months[view.getMonth()] + " " + shownYear(input, view.getFullYear());
  }

  function moveTo(state, date, focusGrid) {
    state.focus = date;
    state.view = new Date(date.getFullYear(), date.getMonth(), 1);
    render(state);
    if (focusGrid) state.dialog.querySelector(".thai-date-day[tabindex='0']").focus();
  }

  function fit(dialog) {
    dialog.style.left = "0px";
    const box = dialog.getBoundingClientRect();
    const over = box.right - (document.documentElement.clientWidth - 8);
    if (over > 0) dialog.style.left = -Math.min(over, box.left - 8) + "px";
  }

  function close(returnFocus) {
    if (!open) return;
    const { dialog, button } = open;
    dialog.remove();
    button.setAttribute("aria-expanded", "false");
    open = null;
    if (returnFocus) button.focus();
  }

  function choose(state, date) {
    writeBox(state.input, date);
    const input = state.input;
    close(false);
    input.focus();
  }

  function openFor(button) {
    const input = document.getElementById(button.dataset.thaiDateOpen);
    if (!input) return;
    close(false);
    const dialog = build(button, input);
    const start = readBox(input) || new Date();
    const state = { dialog, input, button, focus: start, view: null };
    open = state;
    button.closest(".thai-date").append(dialog);
    button.setAttribute("aria-expanded", "true");
    moveTo(state, start, true);
    fit(dialog);

    dialog.addEventListener("click", (event) => {
      const target = event.target.closest("button");
      if (!target) return;
      if (target.dataset.day) {
        const [y, m, d] = target.dataset.day.split("-").map(Number);
        choose(state, new Date(y, m - 1, d));
      } else if (target.dataset.step) {
        const f = state.focus;
        const step = Number(target.dataset.step);
        const last = new Date(f.getFullYear(), f.getMonth() + step + 1, 0).getDate();
        moveTo(state, new Date(f.getFullYear(), f.getMonth() + step, Math.min(f.getDate(), last)),
          false);
      } else if (target.dataset.act === "today") {
        moveTo(state, new Date(), true);
      } else if (target.dataset.act === "close") {
        close(true);
      }
    });
    dialog.addEventListener("change", (event) => {
      const part = event.target.dataset.part;
      if (!part) return;
      const f = state.focus;
      const y = part === "year" ? Number(event.target.value) : f.getFullYear();
      const m = part === "month" ? Number(event.target.value) : f.getMonth();
      const last = new Date(y, m + 1, 0).getDate();
      moveTo(state, new Date(y, m, Math.min(f.getDate(), last)), false);
    });
    dialog.addEventListener("keydown", (event) => {
      if (event.key === "Escape") { event.preventDefault(); close(true); return; }
      if (event.key === "Tab") { // keep the focus inside the dialog
        const items = [...dialog.querySelectorAll("button, select")].filter(
          (b) => !b.classList.contains("thai-date-day") || b.tabIndex === 0);
        const i = items.indexOf(document.activeElement);
        const j = event.shiftKey ? (i <= 0 ? items.length - 1 : i - 1) :
          (i === items.length - 1 ? 0 : i + 1);
        event.preventDefault();
        items[j].focus();
        return;
      }
      if (!event.target.classList.contains("thai-date-day")) return;
      const f = state.focus;
      const shift = { ArrowLeft: -1, ArrowRight: 1, ArrowUp: -7, ArrowDown: 7 }[event.key];
      let date = null;
      if (shift) date = new Date(f.getFullYear(), f.getMonth(), f.getDate() + shift);
      else if (event.key === "PageUp" || event.key === "PageDown") {
        const months = (event.key === "PageUp" ? -1 : 1) * (event.shiftKey ? 12 : 1);
        const last = new Date(f.getFullYear(), f.getMonth() + months + 1, 0).getDate();
        date = new Date(f.getFullYear(), f.getMonth() + months, Math.min(f.getDate(), last));
      } else if (event.key === "Home") {
        date = new Date(f.getFullYear(), f.getMonth(), f.getDate() - f.getDay());
      } else if (event.key === "End") {
        date = new Date(f.getFullYear(), f.getMonth(), f.getDate() + 6 - f.getDay());
      } else if (event.key === "Enter" || event.key === " ") {
        event.preventDefault();
        choose(state, f);
        return;
      }
      if (date) {
        event.preventDefault();
        moveTo(state, date, true);
      }
    });
  }

  document.addEventListener("click", (event) => {
    const button = event.target.closest("[data-thai-date-open]");
    if (button) {
      if (open && open.button === button) close(true);
      else openFor(button);
      return;
    }
    if (open && !open.dialog.contains(event.target)) close(false);
  });
  document.addEventListener("keydown", (event) => {
    if (open && event.key === "Escape" && !open.dialog.contains(event.target)) close(true);
  });
})();
