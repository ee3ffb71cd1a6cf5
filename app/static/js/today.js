// The today page (staff/today.html): marks are kept on the phone first and sent when there
// is a connection, each once (the server keeps a mark id once); the service worker keeps
// today's page for a 4G gap. Without this script the page reads and its forms still post.
(function () {
  "use strict";
  var root = document.getElementById("today");
  if (!root) { return; }
  var QUEUE = "blauwlijn-today-marks";
  var status = document.getElementById("today-status");

  function queue() {
    try { return JSON.parse(localStorage.getItem(QUEUE) || "[]"); } catch (e) { return []; }
  }
  function save(marks) {
    if (marks.length) { localStorage.setItem(QUEUE, JSON.stringify(marks)); }
    else { localStorage.removeItem(QUEUE); }
  }
  function say(bookingId, text) {
    var visit = document.getElementById("visit-" + bookingId);
    var place = visit && visit.querySelector(".today-mark-status");
    (place || status).textContent = text;
  }
  function newId() {
    if (window.crypto && crypto.randomUUID) { return crypto.randomUUID(); }
    return "10000000-1000-4000-8000-100000000000".replace(/[018]/g, function (c) {
      return (c ^ (crypto.getRandomValues(new Uint8Array(1))[0] & (15 >> (c / 4)))).toString(16);
    });
  }

  var sending = false;
  function send() {
    if (sending) { return Promise.resolve(); }
    var marks = queue();
    if (!marks.length) { return Promise.resolve(); }
    sending = true;
    var mark = marks[0];
    return fetch(root.dataset.marksUrl, {
      method: "POST",
      credentials: "same-origin",
      redirect: "manual",
      headers: { "Content-Type": "application/json", "X-CSRF-Token": root.dataset.csrf },
      body: JSON.stringify(mark)
    }).then(function (response) {
      sending = false;
      if (response.type === "opaqueredirect" || response.status === 0 || response.status === 400) {
        say(mark.booking_id, root.dataset.textSignin);  // signed out: kept until signed in
        return;
      }
      if (response.status === 429 || response.status >= 500) { return; }  // later
      // Kept (201), kept before (200) or refused for good (404, 409, 422): out of the queue.
      save(queue().filter(function (m) { return m.mark_id !== mark.mark_id; }));
      if (response.ok) {
        say(mark.booking_id, root.dataset.textSent);
      } else {
        return response.json().then(function (problem) {
          say(mark.booking_id, root.dataset.textRefused + " " + (problem.detail || response.status));
        }, function () { say(mark.booking_id, root.dataset.textRefused + " " + response.status); });
      }
      return send();
    }, function () {
      sending = false;  // no connection: the mark waits for the "online" event
    });
  }

  root.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.classList.contains("today-mark")) { return; }
    event.preventDefault();
    var data = new FormData(form);
    var mark = {
      mark_id: newId(),
      booking_id: Number(data.get("booking_id")),
      kind: data.get("kind"),
      note: data.get("note") || "",
      marked_at: new Date().toISOString()
    };
    var marks = queue();
    marks.push(mark);
    save(marks);
    say(mark.booking_id, root.dataset.textQueued);
    if (mark.kind === "note") { form.reset(); }
    send();
  });
  window.addEventListener("online", send);
  send();

  if ("serviceWorker" in navigator) {
    navigator.serviceWorker.register(root.dataset.swUrl, { scope: root.dataset.swScope })
      .then(function () { return navigator.serviceWorker.ready; })
      .then(function (registration) {
        var until = Number(root.dataset.cacheUntil || 0);
        if (!until || !registration.active) { return; }
        var channel = new MessageChannel();
        channel.port1.onmessage = function (event) {
          if (event.data === "kept") {
            root.dataset.offline = "ready";
            if (!status.textContent) { status.textContent = root.dataset.textOfflineReady; }
          }
        };
        var assets = Array.prototype.map.call(
          document.querySelectorAll("link[rel=stylesheet], script[src]"),
          function (el) { return el.href || el.src; });
        registration.active.postMessage(
          { keep: [location.href].concat(assets), until: until }, [channel.port2]);
      })
      .catch(function () { /* no service worker: the page still works online */ });
  }
}());
