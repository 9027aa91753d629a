// The volunteer app's service worker (scope /volunteers/app/): keeps the app shell so the
// app opens without a network. The page is fetched from the network first (a fresh copy
// when online), the shell's files from the cache first (their names carry their hash).
// The API is never cached here: the households live in IndexedDB, cleared on sign-out.
"use strict";
const CACHE = "onehome-volunteer-{{ version }}";
const SHELL = {{ shell_json|safe }};
const PAGE = "/volunteers/app/";

self.addEventListener("install", function (event) {
  event.waitUntil(caches.open(CACHE).then(function (cache) { return cache.addAll(SHELL); }).then(function () { return self.skipWaiting(); }));
});

self.addEventListener("activate", function (event) {
  event.waitUntil(caches.keys().then(function (names) {
    return Promise.all(names.filter(function (n) { return n.indexOf("onehome-volunteer") === 0 && n !== CACHE; })
      .map(function (n) { return caches.delete(n); }));
  }).then(function () { return self.clients.claim(); }));
});

self.addEventListener("fetch", function (event) {
  const request = event.request;
  const url = new URL(request.url);
  if (request.method !== "GET" || url.origin !== self.location.origin) return;
  if (url.pathname === PAGE || request.mode === "navigate") {
    event.respondWith(fetch(request).then(function (response) {
      if (response.ok && url.pathname === PAGE && !response.redirected) {
        const copy = response.clone();
        caches.open(CACHE).then(function (cache) { cache.put(PAGE, copy); });
      }
      return response;
    }).catch(function () {
      return caches.match(PAGE).then(function (cached) { return cached || Response.error(); });
    }));
    return;
  }
  if (SHELL.indexOf(url.pathname) !== -1) {
    event.respondWith(caches.match(request).then(function (cached) { return cached || fetch(request); }));
  }
});
