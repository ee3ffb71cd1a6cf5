// The today page's service worker (served as /staff/today/sw.js, scope /staff/today: the
// page, its sheet and its marks, nothing else). Pages network first, the copy only when
// there is no connection. Only today's page is kept (the server says until when: the end
// of the local day), in a cache named after that moment; an older one is dropped whenever
// the worker runs, and sign-out clears everything (Clear-Site-Data).
"use strict";
var PREFIX = "blauwlijn-today-";

function dropExpired(keepName) {
  return caches.keys().then(function (names) {
    return Promise.all(names.filter(function (name) {
      if (name.indexOf(PREFIX) !== 0) { return false; }
      if (keepName) { return name !== keepName; }
      return Number(name.slice(PREFIX.length)) <= Date.now();
    }).map(function (name) { return caches.delete(name); }));
  });
}

function current() {
  return caches.keys().then(function (names) {
    var live = names.filter(function (name) {
      return name.indexOf(PREFIX) === 0 && Number(name.slice(PREFIX.length)) > Date.now();
    });
    return live.length ? live[live.length - 1] : null;
  });
}

self.addEventListener("install", function () { self.skipWaiting(); });
self.addEventListener("activate", function (event) {
  event.waitUntil(dropExpired().then(function () { return self.clients.claim(); }));
});

self.addEventListener("message", function (event) {
  var until = Number(event.data && event.data.until);
  var urls = (event.data && event.data.keep) || [];
  if (!(until > Date.now())) { return; }
  var name = PREFIX + until;
  event.waitUntil(dropExpired(name).then(function () {
    return caches.open(name);
  }).then(function (cache) {
    return Promise.all(urls.filter(function (url) {
      return new URL(url).origin === self.location.origin;
    }).map(function (url) {
      return fetch(url, { credentials: "same-origin" }).then(function (response) {
        if (response.ok) { return cache.put(url, response); }
      });
    }));
  }).then(function () {
    if (event.ports[0]) { event.ports[0].postMessage("kept"); }
  }, function () { /* offline meanwhile: kept next time */ }));
});

self.addEventListener("fetch", function (event) {
  var request = event.request;
  if (request.method !== "GET") { return; }
  var url = new URL(request.url);
  if (url.origin !== self.location.origin) { return; }
  var page = request.mode === "navigate";
  if (!page && url.pathname.indexOf("/static/") !== 0) { return; }
  event.respondWith(dropExpired().then(function () {
    return fetch(request).then(function (response) {
      var until = Number(response.headers.get("Blauwlijn-Cache-Until") || 0);
      if (response.ok && (!page || until > Date.now())) {
        var copy = response.clone();
        var named = page ? Promise.resolve(PREFIX + until) : current();
        named.then(function (name) {
          if (!name) { return; }
          return (page ? dropExpired(name) : Promise.resolve()).then(function () {
            return caches.open(name);
          }).then(function (cache) { return cache.put(request, copy); });
        });
      }
      return response;
    }, function () {
      return caches.match(request, { ignoreVary: true }).then(function (hit) {
        return hit || Response.error();
      });
    });
  }));
});
