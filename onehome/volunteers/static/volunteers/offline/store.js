// The phone's offline store (IndexedDB): the volunteer's package and the outbox queue.
// Only the households of the last package are kept; signing out deletes the database.
"use strict";

window.VolunteerStore = (function () {
  const NAME = "onehome-volunteer";
  let opened = null;

  function request(r) {
    return new Promise(function (resolve, reject) {
      r.onsuccess = function () { resolve(r.result); };
      r.onerror = function () { reject(r.error); };
    });
  }

  function open() {
    if (opened) return opened;
    const r = indexedDB.open(NAME, 1);
    r.onupgradeneeded = function () {
      const db = r.result;
      db.createObjectStore("meta");
      db.createObjectStore("households", { keyPath: "id" });
      db.createObjectStore("outbox", { keyPath: "client_id" });
    };
    opened = request(r);
    return opened;
  }

  async function tx(store, mode, work) {
    const db = await open();
    return new Promise(function (resolve, reject) {
      const t = db.transaction(store, mode);
      let result;
      Promise.resolve(work(t.objectStore(store))).then(function (v) { result = v; });
      t.oncomplete = function () { resolve(result); };
      t.onerror = function () { reject(t.error); };
      t.onabort = function () { reject(t.error); };
    });
  }

  function all(store) {
    return tx(store, "readonly", function (s) { return request(s.getAll()); });
  }

  // A new package replaces the old: households no longer assigned are dropped.
  async function savePackage(pkg) {
    const db = await open();
    return new Promise(function (resolve, reject) {
      const t = db.transaction(["meta", "households"], "readwrite");
      const households = t.objectStore("households");
      households.clear();
      pkg.households.forEach(function (h) { households.put(h); });
      t.objectStore("meta").put({
        generated_at: pkg.generated_at,
        volunteer: pkg.volunteer,
        household_ids: pkg.household_ids,
        questionnaire: pkg.questionnaire,
      }, "package");
      t.oncomplete = function () { resolve(); };
      t.onerror = function () { reject(t.error); };
    });
  }

  function meta() {
    return tx("meta", "readonly", function (s) { return request(s.get("package")); });
  }

  function households() { return all("households"); }
  function outbox() { return all("outbox"); }

  function queue(item) {
    return tx("outbox", "readwrite", function (s) { s.put(item); });
  }

  function forget(clientIds) {
    return tx("outbox", "readwrite", function (s) {
      clientIds.forEach(function (id) { s.delete(id); });
    });
  }

  // The households and the package go; the outbox (the volunteer's own unsent work) stays
  // until it is sent or the volunteer signs out.
  async function dropPackage() {
    const db = await open();
    return new Promise(function (resolve, reject) {
      const t = db.transaction(["meta", "households"], "readwrite");
      t.objectStore("meta").clear();
      t.objectStore("households").clear();
      t.oncomplete = function () { resolve(); };
      t.onerror = function () { reject(t.error); };
    });
  }

  // Everything goes: the database itself, and the cached app shell.
  async function wipe() {
    if (opened) {
      (await opened).close();
      opened = null;
    }
    await new Promise(function (resolve) {
      const r = indexedDB.deleteDatabase(NAME);
      r.onsuccess = r.onerror = r.onblocked = function () { resolve(); };
    });
    if (window.caches) {
      const names = await caches.keys();
      await Promise.all(names.filter(function (n) { return n.indexOf("onehome-volunteer") === 0; })
        .map(function (n) { return caches.delete(n); }));
    }
  }

  return { savePackage, meta, households, outbox, queue, forget, dropPackage, wipe };
})();
