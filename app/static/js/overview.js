/* The reports overview's trend charts (Chart.js, bundled in static/vendor) from the page's
   JSON. Every text comes from the page; without JavaScript the tables show the same. */
(function () {
  "use strict";

  // The site's blue, green and red, then colours that stay apart for colour-blind readers.
  var COLOURS = ["#003b7a", "#00703c", "#b3261e", "#6f4e00", "#5b2a86", "#006c80", "#8a3b00", "#505a5f"];

  function draw() {
    if (!window.Chart) { return; } // the tables hold the same figures
    var data = JSON.parse(document.getElementById("chart-data").textContent);
    var still = window.matchMedia("(prefers-reduced-motion: reduce)").matches;
    var narrow = window.matchMedia("(max-width: 40em)").matches;
    document.getElementById("charts").hidden = false;
    window.Chart.defaults.color = "#0b0c0c";
    window.Chart.defaults.font.size = 14;
    data.charts.forEach(function (chart) {
      var y = { beginAtZero: true, ticks: { precision: 0 }, title: { display: true, text: chart.axis } };
      var options = { aspectRatio: narrow ? 1.2 : 2, scales: { y: y } };
      if (still) { options.animation = false; }
      new window.Chart(document.getElementById("chart-" + chart.key), {
        type: "line",
        data: {
          labels: data.weeks,
          datasets: chart.datasets.map(function (set, i) {
            var colour = COLOURS[i % COLOURS.length];
            return { label: set.label, data: set.data, backgroundColor: colour, borderColor: colour };
          }),
        },
        options: options,
      });
    });
  }

  draw();
})();
