// The reporting point's pages work without this file; it adds two things.
(function () {
  "use strict";

  // Quick exit: leave for the neutral site and replace this page in the history, so
  // "Back" does not bring it up again. Without JavaScript the button is a plain link.
  document.querySelectorAll("[data-quick-exit]").forEach(function (link) {
    link.addEventListener("click", function (event) {
      event.preventDefault();
      window.location.replace(link.href);
    });
  });

  // "Use my location": only shown where the browser can ask for it; fills the hidden
  // WGS-84 fields with the browser's (and the citizen's) permission.
  var button = document.getElementById("locate");
  var status = document.getElementById("locate-status");
  if (!button || !status || !("geolocation" in navigator)) {
    return;
  }
  button.hidden = false;
  button.addEventListener("click", function () {
    status.textContent = button.dataset.busy;
    navigator.geolocation.getCurrentPosition(
      function (position) {
        document.getElementById("lat").value = position.coords.latitude.toFixed(6);
        document.getElementById("lon").value = position.coords.longitude.toFixed(6);
        status.textContent = button.dataset.found;
      },
      function () {
        status.textContent = button.dataset.failed;
      },
      { enableHighAccuracy: true, timeout: 15000, maximumAge: 60000 }
    );
  });
})();
