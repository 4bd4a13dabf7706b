// The web chat in the browser: resume after each (re)connect from the last message on the
// page, give every sent message its own id (a resend is stored once), never show a message
// twice, keep the newest message in view and show times in the shopper's time zone.
(function () {
  "use strict";

  function lastMessageId() {
    var last = 0;
    document.querySelectorAll("#chat-log [data-id]").forEach(function (el) {
      last = Math.max(last, parseInt(el.dataset.id, 10) || 0);
    });
    return last;
  }

  function newId() {
    if (window.crypto && crypto.randomUUID) { return crypto.randomUUID(); }
    return Date.now().toString(36) + "-" + Math.random().toString(36).slice(2, 12);
  }

  function scrollDown() {
    var log = document.getElementById("chat-log");
    if (log) { log.scrollTop = log.scrollHeight; }
  }

  function localTimes(root) {
    (root || document).querySelectorAll("#chat-log time[datetime]").forEach(function (el) {
      var when = new Date(el.getAttribute("datetime"));
      if (!isNaN(when)) {
        el.textContent = when.toLocaleTimeString(document.documentElement.lang || [],
                                                 {hour: "2-digit", minute: "2-digit"});
      }
    });
  }

  document.addEventListener("htmx:wsOpen", function (event) {
    var chat = document.getElementById("chat");
    var shown = chat && chat.dataset.conversation ? parseInt(chat.dataset.conversation, 10) : null;
    event.detail.socketWrapper.send(JSON.stringify(
      {type: "resume", conversation_id: shown, after: lastMessageId()}));
  });

  document.addEventListener("htmx:wsConfigSend", function (event) {
    event.detail.parameters.client_id = newId();
  });

  document.addEventListener("htmx:wsAfterSend", function (event) {
    var form = event.target;
    if (form && form.id === "chat-form") {
      form.reset();
      var input = document.getElementById("chat-message");
      if (input) { input.focus(); }
    }
  });

  // A message already on the page (a resend after a reconnect) is not appended again.
  document.addEventListener("htmx:oobBeforeSwap", function (event) {
    var target = event.detail.target;
    if (!target || target.id !== "chat-log" || !event.detail.fragment) { return; }
    Array.from(event.detail.fragment.children).forEach(function (child) {
      if (child.id && document.getElementById(child.id)) { child.remove(); }
    });
  });

  // A person reads along: tell them the shopper is typing (a frame every few seconds at most),
  // and show "Léa is typing…" for a few seconds when she types.
  var socket = null;
  var typedAt = 0;
  var typingTimer = null;
  document.addEventListener("htmx:wsOpen", function (event) { socket = event.detail.socketWrapper; });
  document.addEventListener("input", function (event) {
    if (!event.target || event.target.id !== "chat-message" || !socket) { return; }
    if (!document.querySelector("#chat-status .joined")) { return; }
    if (Date.now() - typedAt > 3000 && event.target.value.trim()) {
      typedAt = Date.now();
      try { socket.send(JSON.stringify({type: "typing"})); } catch (e) { /* reconnecting */ }
    }
  });
  document.addEventListener("htmx:oobAfterSwap", function (event) {
    var target = event.detail.target;
    var typing = document.getElementById("chat-typing");
    if (!target || !typing) { return; }
    if (target.id === "chat-typing" && typing.dataset.person) {
      clearTimeout(typingTimer);
      typingTimer = setTimeout(function () { typing.hidden = true; }, 6000);
    } else if (target.id === "chat-log" && typing.dataset.person) {
      typing.hidden = true;
    }
  });

  document.addEventListener("htmx:wsAfterMessage", function () { localTimes(); scrollDown(); });
  document.addEventListener("DOMContentLoaded", function () { localTimes(); scrollDown(); });
})();
