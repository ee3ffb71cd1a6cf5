/* The supervisor's page: the live block kept up to date over Server-Sent Events ("live"),
   and the period's charts (Chart.js, bundled in static/vendor) from the page's JSON. Every
   text comes from the page; without JavaScript the page shows the same as text. */
(function () {
  "use strict";

  /* --- The live block ------------------------------------------------------------------ */

  var live = document.getElementById("live");
  var longest = document.getElementById("live-longest");
  var waited = null; // seconds the first caller in line had waited at `since`
  var since = Date.now();

  function seconds(value) {
    return value === null ? "–" : Math.round(value) + " s"; // as the page's own macro writes it
  }

  function tick() {
    longest.textContent = seconds(waited === null ? null : waited + (Date.now() - since) / 1000);
  }

  function render(data) {
    document.getElementById("live-waiting").textContent = String(data.waiting);
    waited = data.longest;
    since = Date.now();
    tick();
    var list = document.getElementById("live-takers");
    list.replaceChildren();
    data.takers.forEach(function (taker) {
      var item = document.createElement("li");
      item.dataset.status = taker.status;
      item.textContent = taker.name + ": " + taker.label;
      list.appendChild(item);
    });
    list.hidden = !data.takers.length;
    document.getElementById("live-nobody").hidden = data.takers.length > 0;
  }

  if (longest.dataset.seconds !== "") { waited = Number(longest.dataset.seconds); }
  if (window.EventSource) {
    var source = new EventSource(live.dataset.eventsUrl);
    source.addEventListener("live", function (event) { render(JSON.parse(event.data)); });
  }
  window.setInterval(tick, 1000);

  /* --- The charts ------------------------------------------------------------------------ */

  var COLOURS = ["#003b7a", "#00703c", "#b3261e"]; // the site's blue, green and red

  function draw() {
    if (!window.Chart) { return; } // the table below holds the same figures
    var data = JSON.parse(document.getElementById("chart-data").textContent);
    var still = window.matchMedia("(prefers-reduced-motion: reduce)").matches;
    var narrow = window.matchMedia("(max-width: 40em)").matches; // taller charts on a phone
    document.getElementById("charts").hidden = false;
    window.Chart.defaults.color = "#0b0c0c"; // the site's text colour: Chart.js's grey is too pale
    window.Chart.defaults.font.size = 14;
    data.charts.forEach(function (chart) {
      var y = { beginAtZero: true, ticks: { precision: 0 }, title: { display: true, text: chart.axis } };
      if (chart.max) { y.max = chart.max; }
      var options = { aspectRatio: narrow ? 1.2 : 2, scales: { y: y } };
      if (still) { options.animation = false; }
      new window.Chart(document.getElementById("chart-" + chart.key), {
        type: chart.type,
        data: {
          labels: data.days,
          datasets: chart.datasets.map(function (set, i) {
            return { label: set.label, data: set.data, backgroundColor: COLOURS[i], borderColor: COLOURS[i] };
          }),
        },
        options: options,
      });
    });
  }

  draw();
})();
