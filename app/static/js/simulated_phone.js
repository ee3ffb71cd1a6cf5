/* The browser phone of a zone without a Twilio account (`make run`): the same Device events
   as Twilio's Voice SDK, without sound. The caller is `flask --app app ivr-sim`; console.js
   says when the server moved the call ("console:call-moved"): to this phone, it rings; away
   (hold, transfer), the call in hand ends, as Twilio ends the browser's leg. */
(function () {
  "use strict";

  function Emitter() { this.handlers = {}; }
  Emitter.prototype.on = function (name, fn) {
    (this.handlers[name] = this.handlers[name] || []).push(fn);
  };
  Emitter.prototype.emit = function (name) {
    var args = Array.prototype.slice.call(arguments, 1);
    (this.handlers[name] || []).forEach(function (fn) { fn.apply(null, args); });
  };

  function Call(id, outgoing) {
    Emitter.call(this);
    this.muted = false;
    this.customParameters = new Map([["call", String(id)]]);
    if (outgoing) { var self = this; setTimeout(function () { self.emit("accept"); }, 500); }
  }
  Call.prototype = Object.create(Emitter.prototype);
  Call.prototype.accept = function () { var self = this; setTimeout(function () { self.emit("accept"); }, 0); };
  Call.prototype.reject = function () { this.emit("cancel"); };
  Call.prototype.disconnect = function () { this.emit("disconnect"); };
  Call.prototype.mute = function (muted) { this.muted = muted; };
  Call.prototype.isMuted = function () { return this.muted; };

  function Device() {
    Emitter.call(this);
    var self = this;
    self.call = null;
    document.addEventListener("console:call-moved", function (event) {
      if (event.detail.to === "browser") {
        // Twilio takes a moment to ring the browser after the redirect.
        setTimeout(function () {
          self.call = new Call(event.detail.call, false);
          self.emit("incoming", self.call);
        }, 700);
      } else if (self.call) {
        var call = self.call;
        self.call = null;
        call.disconnect();
      }
    });
  }
  Device.prototype = Object.create(Emitter.prototype);
  Device.prototype.register = function () {
    var self = this;
    setTimeout(function () { self.emit("registered"); }, 0);
    return Promise.resolve();
  };
  Device.prototype.updateToken = function () {};
  Device.prototype.disconnectAll = function () { if (this.call) { this.call.disconnect(); this.call = null; } };
  Device.prototype.connect = function () { this.call = new Call(0, true); return Promise.resolve(this.call); };

  window.Twilio = { Device: Device };
})();
