// The agent workspace in the browser: tell the live socket which conversation is shown, send
// with Enter, insert canned replies, say "typing…", keep one copy of each message, notify of
// new waiting shoppers (notification, sound, count in the tab title) and show local times.
(function () {
  "use strict";

  var socket = null;
  var seenNotice = 0;
  var typedAt = 0;
  var sideTimer = null;
  var baseTitle = document.title;

  function byId(id) { return document.getElementById(id); }

  function shownConversation() {
    var section = byId("ws-conversation");
    return section ? parseInt(section.dataset.conversation, 10) : null;
  }

  function lastMessageId() {
    var last = 0;
    document.querySelectorAll("#ws-messages [data-id]").forEach(function (el) {
      last = Math.max(last, parseInt(el.dataset.id, 10) || 0);
    });
    return last;
  }

  function lastEventId() {
    var section = byId("ws-conversation");
    var last = section ? parseInt(section.dataset.eventFloor, 10) || 0 : 0;
    document.querySelectorAll("#ws-messages [data-event]").forEach(function (el) {
      last = Math.max(last, parseInt(el.dataset.event, 10) || 0);
    });
    return last;
  }

  function send(frame) {
    if (socket) { try { socket.send(JSON.stringify(frame)); } catch (e) { /* reconnecting */ } }
  }

  function announceOpen() {
    send({type: "open", conversation_id: shownConversation(), after: lastMessageId(),
          after_event: lastEventId()});
  }

  function scrollDown(force) {
    var log = byId("ws-messages");
    if (!log) { return; }
    var near = log.scrollHeight - log.scrollTop - log.clientHeight < 160;
    if (force || near) { log.scrollTop = log.scrollHeight; }
  }

  // --- times: local clock for messages, "4 min" for waits ------------------------------
  var lang = document.documentElement.lang || "en";
  var relative = window.Intl && Intl.RelativeTimeFormat ?
    new Intl.RelativeTimeFormat(lang, {numeric: "auto", style: "short"}) : null;

  function duration(value, unit) {
    try {
      return new Intl.NumberFormat(lang, {style: "unit", unit: unit, unitDisplay: "short"})
        .format(value);
    } catch (e) { return value + (unit === "hour" ? " h" : " min"); }
  }

  function localTimes(root) {
    (root || document).querySelectorAll(".ws-msg time[datetime], .ws-line time[datetime]")
      .forEach(function (el) {
        var when = new Date(el.getAttribute("datetime"));
        if (!isNaN(when)) {
          el.textContent = when.toLocaleTimeString(lang, {hour: "2-digit", minute: "2-digit"});
        }
      });
    document.querySelectorAll("time.since[datetime]").forEach(function (el) {
      var when = new Date(el.getAttribute("datetime"));
      if (isNaN(when)) { return; }
      var minutes = Math.max(0, Math.floor((new Date() - when) / 60000));
      el.textContent = minutes < 60 ? duration(minutes, "minute") :
        duration(Math.floor(minutes / 60), "hour") + " " + duration(minutes % 60, "minute");
      el.title = when.toLocaleString(lang);
    });
    document.querySelectorAll("time.ago[datetime]").forEach(function (el) {
      var when = new Date(el.getAttribute("datetime"));
      if (isNaN(when) || !relative) { return; }
      var minutes = Math.round((when - new Date()) / 60000);
      el.textContent = Math.abs(minutes) < 60 ? relative.format(minutes, "minute") :
        relative.format(Math.round(minutes / 60), "hour");
      el.title = when.toLocaleString(lang);
    });
  }

  // --- the title, the sound, the notification ----------------------------------------
  function updateTitle() {
    var queue = byId("ws-queue");
    var count = queue ? parseInt(queue.dataset.count, 10) || 0 : 0;
    var base = (byId("ws") && byId("ws").dataset.title) || baseTitle;
    document.title = (count ? "(" + count + ") " : "") + base;
  }

  function beep() {
    try {
      var Context = window.AudioContext || window.webkitAudioContext;
      if (!Context) { return; }
      var audio = beep.context || (beep.context = new Context());
      var tone = audio.createOscillator();
      var gain = audio.createGain();
      tone.type = "sine";
      tone.frequency.value = 880;
      gain.gain.setValueAtTime(0.0001, audio.currentTime);
      gain.gain.exponentialRampToValueAtTime(0.2, audio.currentTime + 0.02);
      gain.gain.exponentialRampToValueAtTime(0.0001, audio.currentTime + 0.4);
      tone.connect(gain).connect(audio.destination);
      tone.start();
      tone.stop(audio.currentTime + 0.45);
    } catch (e) { /* no sound: the title and the list still say it */ }
  }

  function notifyButton() {
    var button = byId("ws-notifications");
    if (button) {
      button.hidden = !("Notification" in window) || Notification.permission !== "default";
    }
  }

  function onNotice(el) {
    var seq = parseInt(el.dataset.seq, 10) || 0;
    if (seq <= seenNotice) { return; }
    seenNotice = seq;
    window.__wsNotices = (window.__wsNotices || 0) + 1;
    beep();
    var ws = byId("ws");
    var title = el.dataset.kind === "conversation.requeued" ? ws.dataset.requeued :
      ws.dataset.newShopper;
    if ("Notification" in window && Notification.permission === "granted") {
      var note = new Notification(title, {body: el.dataset.name, tag: "ws-" + el.dataset.conversation});
      note.onclick = function () { window.focus(); window.location.href = el.dataset.url; };
    }
  }

  // --- the live socket -----------------------------------------------------------------
  document.addEventListener("htmx:wsOpen", function (event) {
    socket = event.detail.socketWrapper;
    window.__wsSocketOpen = true;
    if (sideTimer) { clearInterval(sideTimer); sideTimer = null; }
    announceOpen();
  });

  document.addEventListener("htmx:wsClose", function () {
    window.__wsSocketOpen = false;
    var ws = byId("ws");
    if (!sideTimer && ws) {
      // Until the socket is back, the lists still refresh now and then.
      sideTimer = setInterval(function () {
        htmx.ajax("GET", ws.dataset.sideUrl, {swap: "none"});
      }, 15000);
    }
  });

  // One copy of each message: the answer to a send and the socket may both bring it. The one
  // arriving later was rendered later (its delivery status may have moved): it replaces the
  // one on the page, in place.
  document.addEventListener("htmx:oobBeforeSwap", function (event) {
    var target = event.detail.target;
    if (!target || target.id !== "ws-messages" || !event.detail.fragment) { return; }
    Array.from(event.detail.fragment.children).forEach(function (child) {
      var shown = child.id && document.getElementById(child.id);
      if (shown) { shown.replaceWith(child); }
    });
  });

  document.addEventListener("htmx:oobAfterSwap", function (event) {
    var target = event.detail.target;
    if (!target) { return; }
    if (target.id === "ws-notify") { onNotice(byId("ws-notify")); }
    if (target.id === "ws-typing") {
      var typing = byId("ws-typing");
      typing.hidden = false;
      clearTimeout(onNotice.typingTimer);
      onNotice.typingTimer = setTimeout(function () { typing.hidden = true; }, 6000);
    }
    if (target.id === "ws-messages") {
      var typingLine = byId("ws-typing");
      if (typingLine) { typingLine.hidden = true; }
      scrollDown(false);
    }
  });

  document.addEventListener("htmx:afterSettle", function (event) {
    localTimes();
    updateTitle();
    notifyButton();
    var target = event.detail.target;
    if (target && target.id === "ws-detail") {
      announceOpen();
      scrollDown(true);
      // On a phone the lists stack above the conversation: bring the conversation into view.
      if (window.innerWidth <= 800) { target.scrollIntoView({block: "start"}); }
    }
  });

  document.addEventListener("htmx:wsAfterMessage", function () {
    localTimes();
    updateTitle();
  });

  // --- the message box -----------------------------------------------------------------
  function cannedItems() {
    return Array.from(document.querySelectorAll("#ws-canned .ws-canned-item"));
  }

  function useCanned(item) {
    var box = byId("ws-body");
    if (!box || !item) { return; }
    box.value = item.dataset.text;
    byId("ws-canned").innerHTML = "";
    box.focus();
    box.setSelectionRange(box.value.length, box.value.length);
  }

  document.addEventListener("click", function (event) {
    var item = event.target.closest(".ws-canned-item");
    if (item) { useCanned(item); return; }
    var opener = event.target.closest("[data-dialog]");
    if (opener) {
      var dialog = byId(opener.dataset.dialog);
      if (dialog && dialog.showModal) { dialog.showModal(); }
      return;
    }
    var closer = event.target.closest("[data-close-dialog]");
    if (closer) { closer.closest("dialog").close(); return; }
    if (event.target.id === "ws-notifications" && "Notification" in window) {
      Notification.requestPermission().then(notifyButton);
    }
  });

  document.addEventListener("keydown", function (event) {
    var box = event.target;
    if (!box || box.id !== "ws-body") { return; }
    var items = cannedItems();
    if (items.length && (event.key === "Tab" || (event.key === "Enter" && !event.shiftKey))) {
      event.preventDefault();
      useCanned(items.find(function (i) { return i.classList.contains("active"); }) || items[0]);
      return;
    }
    if (items.length && (event.key === "ArrowDown" || event.key === "ArrowUp")) {
      event.preventDefault();
      var at = items.findIndex(function (i) { return i.classList.contains("active"); });
      items.forEach(function (i) { i.classList.remove("active"); });
      at = event.key === "ArrowDown" ? Math.min(items.length - 1, at + 1) : Math.max(0, at - 1);
      items[at].classList.add("active");
      return;
    }
    if (event.key === "Escape" && items.length) { byId("ws-canned").innerHTML = ""; return; }
    if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      if (box.value.trim()) { box.form.requestSubmit(); }
    }
  });

  document.addEventListener("input", function (event) {
    if (!event.target || event.target.id !== "ws-body") { return; }
    var composer = byId("ws-composer");
    var note = byId("ws-private");
    var replying = composer && /^(reply|template)$/.test(composer.dataset.mode) &&
      !(note && note.checked);
    if (replying && Date.now() - typedAt > 3000 && event.target.value.trim()) {
      typedAt = Date.now();
      send({type: "typing", conversation_id: shownConversation()});
    }
  });

  document.addEventListener("htmx:afterRequest", function (event) {
    var form = event.detail.elt;
    if (!form || !event.detail.successful) { return; }
    if (form.id === "ws-composer") {
      form.reset();
      var canned = byId("ws-canned");
      if (canned) { canned.innerHTML = ""; }
      byId("ws-body").focus();
      scrollDown(true);
    }
  });

  document.addEventListener("DOMContentLoaded", function () {
    localTimes();
    updateTitle();
    notifyButton();
    scrollDown(true);
    setInterval(localTimes, 30000);
  });
})();
