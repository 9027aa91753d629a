// The volunteer app (อพม.): households, the visit form built from the questionnaire, help
// requests and the outbox. Works offline: the package and the queue live in IndexedDB
// (store.js); each queued item carries an id made here, so a retried sync never
// duplicates. No inline script (Content-Security-Policy, docs/decisions/0009).
"use strict";

(function () {
  const body = document.body;
  const store = window.VolunteerStore;
  const T = JSON.parse(document.getElementById("app-texts").textContent);
  const $ = function (sel, root) { return (root || document).querySelector(sel); };
  let syncing = false;

  function el(tag, attrs, children) {
    const node = document.createElement(tag);
    Object.entries(attrs || {}).forEach(function ([k, v]) {
      if (k === "text") node.textContent = v;
      else if (k === "class") node.className = v;
      else node.setAttribute(k, v);
    });
    (children || []).forEach(function (c) { if (c) node.appendChild(c); });
    return node;
  }

  function newId() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    const b = crypto.getRandomValues(new Uint8Array(16));
    b[6] = (b[6] & 0x0f) | 0x40; b[8] = (b[8] & 0x3f) | 0x80;
    const h = Array.from(b, function (x) { return x.toString(16).padStart(2, "0"); }).join("");
    return h.slice(0, 8) + "-" + h.slice(8, 12) + "-" + h.slice(12, 16) + "-" + h.slice(16, 20) + "-" + h.slice(20);
  }

  // Dates: shown and typed in the Buddhist era (dd/mm/yyyy + 543), sent as ISO.
  const MONTHS = T.months;
  function thaiDate(iso) {
    if (!iso) return T.never;
    const [y, m, d] = iso.slice(0, 10).split("-").map(Number);
    return d + " " + MONTHS[m - 1] + " " + (y + T.era);
  }
  // A moment (ISO with offset) as Thai date and time in Thailand, whatever the phone's zone.
  function thaiDateTime(iso) {
    const parts = {};
    new Intl.DateTimeFormat("en-CA", {
      timeZone: "Asia/Bangkok", year: "numeric", month: "2-digit", day: "2-digit",
      hour: "2-digit", minute: "2-digit", hourCycle: "h23",
    }).formatToParts(new Date(iso)).forEach(function (p) { parts[p.type] = p.value; });
    return thaiDate(parts.year + "-" + parts.month + "-" + parts.day) + " " + parts.hour + ":" + parts.minute;
  }
  // Today on the phone's calendar (its own zone), as YYYY-MM-DD.
  function todayIso() {
    const now = new Date();
    return now.getFullYear() + "-" + String(now.getMonth() + 1).padStart(2, "0") + "-" + String(now.getDate()).padStart(2, "0");
  }
  // Today as the visit form's date box takes it: DD/MM/YYYY in the Buddhist era.
  function todayTyped() {
    const [y, m, d] = todayIso().split("-");
    return d + "/" + m + "/" + (Number(y) + T.era);
  }
  function parseTyped(text) {
    const m = /^\s*(\d{1,2})\/(\d{1,2})\/(\d{4})\s*$/.exec(text || "");
    if (!m) return null;
    const d = Number(m[1]), mo = Number(m[2]), y = Number(m[3]) - T.era;
    const date = new Date(Date.UTC(y, mo - 1, d));
    if (date.getUTCMonth() !== mo - 1 || date.getUTCDate() !== d) return null;
    const iso = date.toISOString().slice(0, 10);
    // A day after today is refused; today itself all day long (comparing the moment would
    // refuse today before 07:00 in Thailand, when UTC is still at yesterday).
    return iso > todayIso() ? null : iso;
  }

  function say(text, kind) {
    const box = $("#app-message");
    box.textContent = text;
    box.className = "alert alert-" + (kind || "info");
    if (!text) box.className = "alert d-none";
  }

  function show(name) {
    document.querySelectorAll("[data-section]").forEach(function (s) { s.hidden = s.id !== name; });
    window.scrollTo(0, 0);
  }

  function netState() {
    const badge = $("#net-state");
    badge.textContent = navigator.onLine ? T.online : T.offline;
    badge.className = "badge " + (navigator.onLine ? "text-bg-success" : "text-bg-secondary");
  }

  // --- households -------------------------------------------------------------------
  function householdName(h) {
    const head = h.members.find(function (m) { return m.relationship === "head"; }) || h.members[0];
    return (h.house_no ? T.house_no + " " + h.house_no : "#" + h.id) + (head ? " · " + head.first_name_th + " " + head.last_name_th : "");
  }

  function householdCard(h) {
    const members = el("ul", { class: "small mb-1 ps-3" }, h.members.map(function (m) {
      return el("li", { text: m.first_name_th + " " + m.last_name_th + " (" + m.relationship_label + ")" + (m.id_number_masked ? " " + m.id_number_masked : "") });
    }));
    const goals = h.open_goals.length ? el("ul", { class: "small mb-1 ps-3" }, h.open_goals.map(function (g) {
      return el("li", { text: g.goal + " · " + T.due + " " + thaiDate(g.due_date) + " · " + g.progress + "%" });
    })) : el("p", { class: "small text-muted mb-1", text: T.no_goals });
    const due = h.due_visits.length ? el("p", { class: "small mb-1 text-danger", text: T.visit_due + " " + h.due_visits.map(function (d) { return thaiDate(d.due_on); }).join(", ") }) : null;
    return el("article", { class: "card mb-2 household", "data-household": h.id }, [el("div", { class: "card-body p-2" }, [
      el("h2", { class: "h6 mb-1", text: householdName(h) }),
      el("p", { class: "small text-muted mb-1", text: (h.village ? h.village + " · " : "") + T.last_visit + " " + thaiDate(h.last_visit) }),
      members,
      el("p", { class: "small fw-bold mb-0", text: T.open_goals }), goals, due,
      el("div", { class: "d-flex gap-2 mt-1" }, [
        el("button", { type: "button", class: "btn btn-primary btn-sm", "data-visit": h.id, text: T.record_visit }),
        el("button", { type: "button", class: "btn btn-outline-danger btn-sm", "data-help": h.id, text: T.ask_help }),
        el("button", { type: "button", class: "btn btn-outline-secondary btn-sm", "data-edit": h.id, text: T.edit_details }),
      ]),
    ])]);
  }

  async function renderHouseholds() {
    const [meta, households] = await Promise.all([store.meta(), store.households()]);
    const list = $("#household-list");
    list.replaceChildren.apply(list, households.map(householdCard));
    $("#no-households").classList.toggle("d-none", households.length > 0 || !meta);
    $("#package-state").textContent = meta ? T.updated + " " + thaiDateTime(meta.generated_at) : T.no_package;
  }

  async function renderOutbox() {
    const items = await store.outbox();
    $("#waiting-count").textContent = String(items.length);
    $("#outbox-empty").hidden = items.length > 0;
    const list = $("#outbox-list");
    list.replaceChildren.apply(list, items.map(function (item) {
      return el("li", { class: "list-group-item small outbox-item", "data-client-id": item.client_id }, [
        el("strong", { text: T.kinds[item.kind] + " · " + item.label }),
        el("span", { class: "d-block text-muted", text: thaiDateTime(item.made_at) }),
        item.message ? el("span", { class: "d-block text-danger", text: item.message }) : null,
        item.refused ? el("button", { type: "button", class: "btn btn-link btn-sm p-0", "data-discard": item.client_id, text: T.discard }) : null,
      ]);
    }));
  }

  async function render() {
    await Promise.all([renderHouseholds(), renderOutbox()]);
  }

  // --- package and sync ---------------------------------------------------------------
  async function refresh() {
    if (!navigator.onLine) return render();
    let response;
    try {
      response = await fetch(body.dataset.packageUrl, { credentials: "same-origin", headers: { Accept: "application/json" } });
    } catch (e) {
      return render();
    }
    if (response.status === 401 || response.status === 403) {
      await store.dropPackage();
      say(T.signed_out, "warning");
      return render();
    }
    if (response.ok) await store.savePackage(await response.json());
    return render();
  }

  function csrf() {
    const m = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    return m ? decodeURIComponent(m[1]) : "";
  }

  async function sync() {
    if (syncing || !navigator.onLine) return;
    syncing = true;
    try {
      const items = await store.outbox();
      const waiting = items.filter(function (i) { return !i.refused; });
      if (waiting.length) {
        const response = await fetch(body.dataset.syncUrl, {
          method: "POST", credentials: "same-origin",
          headers: { "Content-Type": "application/json", "X-CSRFToken": csrf(), Accept: "application/json" },
          body: JSON.stringify({ items: waiting.slice(0, 50).map(function (i) { return i.payload; }) }),
        });
        if (response.status === 401 || response.status === 403) {
          say(T.signed_out, "warning");
          return;
        }
        if (!response.ok) return;
        const answers = (await response.json()).items;
        const done = [];
        for (const a of answers) {
          if (a.status === "refused") {
            const item = waiting.find(function (i) { return i.client_id === a.client_id; });
            if (item) await store.queue(Object.assign(item, { refused: true, message: a.message }));
          } else {
            done.push(a.client_id);
          }
        }
        await store.forget(done);
        const conflicts = answers.filter(function (a) { return a.status === "conflict"; }).length;
        say(conflicts ? T.synced_with_conflicts : T.synced.replace("%(n)s", done.length), "success");
      }
      await refresh();
    } catch (e) {
      // The network went away mid-way: the items stay queued and go again (same ids).
    } finally {
      syncing = false;
      await renderOutbox();
    }
  }

  async function enqueue(kind, household, payload, later) {
    const clientId = newId();
    const madeAt = new Date().toISOString();
    await store.queue({
      client_id: clientId, kind: kind, household_id: household.id, label: householdName(household), made_at: madeAt,
      payload: Object.assign({ client_id: clientId, kind: kind, household_id: household.id, made_at: madeAt }, payload),
    });
    await renderOutbox();
    if (later) return;
    say(navigator.onLine ? T.sending : T.saved_offline, "info");
    show("outbox");
    sync();
  }

  // --- forms --------------------------------------------------------------------------
  async function household(id) {
    const all = await store.households();
    return all.find(function (h) { return h.id === Number(id); });
  }

  function questionField(q) {
    const name = "q-" + q.id;
    const label = el("label", { class: "form-label", for: name, text: q.label_th });
    let input;
    if (q.kind === "yes_no") {
      input = el("select", { class: "form-select", id: name, name: name }, [
        el("option", { value: "", text: "—" }), el("option", { value: "true", text: T.yes }), el("option", { value: "false", text: T.no }),
      ]);
    } else if (q.kind === "choice") {
      input = el("select", { class: "form-select", id: name, name: name }, [el("option", { value: "", text: "—" })].concat(
        q.choices.map(function (c) { return el("option", { value: c.value, text: c.label_th }); })));
    } else if (q.kind === "number") {
      input = el("input", { class: "form-control", id: name, name: name, inputmode: "decimal" });
    } else {
      input = el("input", { class: "form-control", id: name, name: name, maxlength: "500" });
    }
    return el("div", { class: "mb-2" }, [label, input]);
  }

  async function openVisit(id) {
    const h = await household(id);
    const meta = await store.meta();
    if (!h || !meta) return;
    const form = $("#visit-form");
    form.reset();
    form.household_id.value = h.id;
    form.visited_on.value = todayTyped();
    document.querySelectorAll("[data-fill=household-name]").forEach(function (n) { n.textContent = householdName(h); });
    $("#present-list").replaceChildren.apply($("#present-list"), h.members.map(function (m) {
      const cid = "present-" + m.id;
      return el("div", { class: "form-check" }, [
        el("input", { class: "form-check-input", type: "checkbox", name: "present", value: m.id, id: cid }),
        el("label", { class: "form-check-label", for: cid, text: m.first_name_th + " " + m.last_name_th }),
      ]);
    }));
    const q = meta.questionnaire;
    $("#needs-list").replaceChildren.apply($("#needs-list"), (q.needs || []).map(function (n) {
      const nid = "need-" + n.value;
      return el("div", { class: "form-check" }, [
        el("input", { class: "form-check-input", type: "checkbox", name: "need", value: n.value, id: nid }),
        el("label", { class: "form-check-label", for: nid, text: n.label_th }),
      ]);
    }));
    $("#questions").replaceChildren.apply($("#questions"), q.dimensions.map(function (d) {
      const qs = q.questions.filter(function (x) { return x.dimension === d.id; });
      if (!qs.length) return null;
      return el("fieldset", { class: "mb-2 border rounded p-2" }, [el("legend", { class: "h6", text: d.label })].concat(qs.map(questionField)));
    }).filter(Boolean));
    $("#visit-errors").classList.add("d-none");
    show("visit");
  }

  async function saveVisit(event) {
    event.preventDefault();
    const form = event.target;
    const visitedOn = parseTyped(form.visited_on.value);
    const errors = $("#visit-errors");
    if (!visitedOn) {
      errors.textContent = T.bad_date;
      errors.classList.remove("d-none");
      return;
    }
    const meta = await store.meta();
    const answers = {};
    meta.questionnaire.questions.forEach(function (q) {
      const v = form.elements["q-" + q.id] && form.elements["q-" + q.id].value.trim();
      if (v) answers[q.id] = q.kind === "yes_no" ? v === "true" : (q.kind === "number" ? Number(v) : v);
    });
    if (!Object.keys(answers).length) {
      errors.textContent = T.need_answer;
      errors.classList.remove("d-none");
      return;
    }
    const h = await household(form.household_id.value);
    await enqueue("visit", h, { visit: {
      visited_on: visitedOn, answers: answers,
      present_ids: Array.from(form.querySelectorAll("input[name=present]:checked")).map(function (i) { return Number(i.value); }),
      needs: Array.from(form.querySelectorAll("input[name=need]:checked")).map(function (i) { return i.value; }),
      notes: form.notes.value.trim(),
    } });
  }

  async function openHelp(id) {
    const h = await household(id);
    if (!h) return;
    const form = $("#help-form");
    form.reset();
    form.household_id.value = h.id;
    document.querySelectorAll("[data-fill=household-name]").forEach(function (n) { n.textContent = householdName(h); });
    $("#help-errors").classList.add("d-none");
    show("help");
  }

  async function saveHelp(event) {
    event.preventDefault();
    const form = event.target;
    const errors = $("#help-errors");
    const amount = form.amount.value.trim();
    if (!form.summary.value.trim() || (amount && !/^\d+(\.\d{1,2})?$/.test(amount))) {
      errors.textContent = form.summary.value.trim() ? T.bad_amount : T.need_summary;
      errors.classList.remove("d-none");
      return;
    }
    const h = await household(form.household_id.value);
    await enqueue("help_request", h, { help_request: {
      kind: form.kind.value, urgency: form.urgency.value, summary: form.summary.value.trim(),
      amount: amount || null, items: form.items.value.trim(),
    } });
  }

  // --- corrections: each changed record goes as an edit with the values it started from
  const HOUSEHOLD_FIELDS = ["house_no", "address_detail"];
  const MEMBER_FIELDS = ["phone", "line_id", "disability"];

  function memberFields(m) {
    const id = "m" + m.id + "-";
    const input = function (name, label, max) {
      return el("div", { class: "mb-1" }, [
        el("label", { class: "form-label small mb-0", for: id + name, text: label }),
        el("input", { class: "form-control form-control-sm", id: id + name, name: id + name, maxlength: max, value: m[name] || "" }),
      ]);
    };
    const select = el("select", { class: "form-select form-select-sm", id: id + "disability", name: id + "disability" },
      [el("option", { value: "", text: T.none })].concat(T.disabilities.map(function ([v, label]) {
        const o = el("option", { value: v, text: label });
        if (v === m.disability) o.selected = true;
        return o;
      })));
    return el("fieldset", { class: "border rounded p-2 mb-2" }, [
      el("legend", { class: "h6", text: m.first_name_th + " " + m.last_name_th }),
      input("phone", T.phone, "20"), input("line_id", T.line_id, "50"),
      el("div", { class: "mb-1" }, [el("label", { class: "form-label small mb-0", for: id + "disability", text: T.disability }), select]),
    ]);
  }

  async function openEdit(id) {
    const h = await household(id);
    if (!h) return;
    const form = $("#edit-form");
    form.household_id.value = h.id;
    HOUSEHOLD_FIELDS.forEach(function (f) { form.elements[f].value = h[f] || ""; });
    document.querySelectorAll("[data-fill=household-name]").forEach(function (n) { n.textContent = householdName(h); });
    $("#edit-members").replaceChildren.apply($("#edit-members"), h.members.map(memberFields));
    show("edit");
  }

  function changes(record, fields, read) {
    const base = {}, mine = {};
    fields.forEach(function (f) {
      const now = read(f);
      if (now !== (record[f] || "")) { base[f] = record[f] || ""; mine[f] = now; }
    });
    return Object.keys(mine).length ? { base_version: record.version, base: base, mine: mine } : null;
  }

  async function saveEdit(event) {
    event.preventDefault();
    const form = event.target;
    const h = await household(form.household_id.value);
    const edits = [];
    const own = changes(h, HOUSEHOLD_FIELDS, function (f) { return form.elements[f].value.trim(); });
    if (own) edits.push(["household_edit", own]);
    h.members.forEach(function (m) {
      const edit = changes(m, MEMBER_FIELDS, function (f) { return form.elements["m" + m.id + "-" + f].value.trim(); });
      if (edit) edits.push(["member_edit", Object.assign({ object_id: m.id }, edit)]);
    });
    if (!edits.length) { say(T.nothing_changed, "info"); show("households"); return; }
    for (const [i, [kind, edit]] of edits.entries()) await enqueue(kind, h, { edit: edit }, i < edits.length - 1);
  }

  async function signOut(event) {
    event.preventDefault();
    const waiting = (await store.outbox()).length;
    if (waiting && !window.confirm(T.confirm_signout.replace("%(n)s", waiting))) return;
    await store.wipe();
    if (navigator.serviceWorker) {
      const regs = await navigator.serviceWorker.getRegistrations();
      await Promise.all(regs.map(function (r) { return r.unregister(); }));
    }
    event.target.submit();
  }

  // --- wiring -------------------------------------------------------------------------
  document.addEventListener("click", async function (event) {
    const t = event.target.closest("button");
    if (!t) return;
    if (t.dataset.show) show(t.dataset.show);
    else if (t.dataset.visit) openVisit(t.dataset.visit);
    else if (t.dataset.help) openHelp(t.dataset.help);
    else if (t.dataset.edit) openEdit(t.dataset.edit);
    else if (t.dataset.discard) { await store.forget([t.dataset.discard]); renderOutbox(); }
    else if (t.id === "sync-now") sync();
  });
  $("#visit-form").addEventListener("submit", saveVisit);
  $("#help-form").addEventListener("submit", saveHelp);
  $("#edit-form").addEventListener("submit", saveEdit);
  $("#signout-form").addEventListener("submit", signOut);
  window.addEventListener("online", function () { netState(); sync(); });
  window.addEventListener("offline", netState);

  if ("serviceWorker" in navigator) {
    navigator.serviceWorker.register(body.dataset.swUrl, { scope: "/volunteers/app/" }).catch(function () {});
  }
  netState();
  render().then(function () { body.dataset.ready = "1"; return navigator.onLine ? sync() : null; }).then(function () {
    body.dataset.loaded = "1";
  });
})();
