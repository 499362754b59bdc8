// The web chat: a thin front end over the JSON API (/api/conversations). No libraries, no trackers.
// The conversation id and token live in sessionStorage: a reload resumes, closing the tab forgets.
(function () {
  "use strict";

  var STORE = "vos-chat";
  var log = document.getElementById("chat-list");
  var choices = document.getElementById("choices");
  var form = document.getElementById("chat-form");
  var input = document.getElementById("message");
  var sendButton = document.getElementById("send");
  var status = document.getElementById("chat-status");
  var helpBar = document.getElementById("help-bar");
  var helpNow = document.getElementById("help-now");
  var counter = document.getElementById("char-count");
  var savedBox = document.getElementById("saved-box");
  var chatBox = document.getElementById("chat");
  var maxChars = parseInt(chatBox.getAttribute("data-max-chars"), 10) || 2000;
  var lang = chatBox.getAttribute("data-lang") || "en";
  var voiceLang = chatBox.getAttribute("data-voice") || lang;
  var easy = chatBox.getAttribute("data-easy") === "yes";
  var T = {};
  try { T = JSON.parse(chatBox.getAttribute("data-strings") || "{}"); } catch (e) { T = {}; }
  function t(key, count) {
    var text = T[key] || key;
    return count === undefined ? text : text.replace("%(count)s", String(count));
  }
  var CODE = /\b([A-Z0-9]{4}-[A-Z0-9]{4})\b/;
  var conversation = null;
  var busy = false;

  function load() {
    try { return JSON.parse(sessionStorage.getItem(STORE) || "null"); } catch (e) { return null; }
  }
  function save() { sessionStorage.setItem(STORE, JSON.stringify(conversation)); }

  function setStatus(text) { status.textContent = text || ""; }

  function request(method, url, body) {
    var headers = { "Accept": "application/json" };
    if (body !== undefined) { headers["Content-Type"] = "application/json"; }
    if (conversation) { headers["X-Conversation-Token"] = conversation.token; }
    return fetch(url, {
      method: method,
      headers: headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      credentials: "omit"
    }).then(function (response) {
      return response.json().catch(function () { return {}; }).then(function (data) {
        if (!response.ok) {
          var error = new Error((data.error && data.error.message) || t("went_wrong"));
          error.status = response.status;
          throw error;
        }
        return data;
      });
    });
  }

  // Read aloud: the browser's own speech synthesis (nothing sent anywhere), in the page's language
  // when the browser has a voice for it.
  var speech = window.speechSynthesis && window.SpeechSynthesisUtterance ? window.speechSynthesis : null;
  function voiceFor(tag) {
    var voices = speech.getVoices() || [];
    var base = tag.split("-")[0].toLowerCase();
    for (var i = 0; i < voices.length; i++) {
      if (voices[i].lang && voices[i].lang.toLowerCase().split(/[-_]/)[0] === base) { return voices[i]; }
    }
    return null;
  }
  function readAloudButton(text) {
    var button = document.createElement("button");
    button.type = "button";
    button.className = "read-aloud secondary small";
    button.textContent = t("read_aloud");
    button.addEventListener("click", function () {
      if (speech.speaking) { speech.cancel(); button.textContent = t("read_aloud"); return; }
      var utterance = new window.SpeechSynthesisUtterance(text);
      utterance.lang = voiceLang;
      var voice = voiceFor(voiceLang);
      if (voice) { utterance.voice = voice; }
      utterance.onend = function () { button.textContent = t("read_aloud"); };
      button.textContent = t("stop_reading");
      speech.speak(utterance);
    });
    return button;
  }

  function addMessage(message) {
    var item = document.createElement("li");
    item.className = "msg msg-" + (message.sender === "bot" ? "bot" : "me");
    var who = document.createElement("span");
    who.className = "visually-hidden";
    who.textContent = (message.sender === "bot" ? t("bot_said") : t("you_said")) + " ";
    var text = document.createElement("p");
    text.className = "msg-text";
    text.textContent = message.text;  // never innerHTML: what people write is shown as text
    item.appendChild(who);
    item.appendChild(text);
    if (message.sender === "bot" && speech) { item.appendChild(readAloudButton(message.text)); }
    log.appendChild(item);
    item.scrollIntoView({ block: "end" });
  }

  function showButtons(buttons) {
    choices.textContent = "";
    (buttons || []).forEach(function (button) {
      if (button.value === "nav:help_now") { return; }  // always on screen, below the chat
      var element = document.createElement("button");
      element.type = "button";
      element.className = "choice" + (button.value === "nav:help_now" ? " danger" : "") +
        (button.value.indexOf("nav:") === 0 && button.value !== "nav:help_now" ? " secondary" : "");
      if (button.picture) {
        var picture = document.createElement("span");
        picture.className = "picture";
        picture.setAttribute("aria-hidden", "true");
        picture.textContent = button.picture;
        element.appendChild(picture);
        element.appendChild(document.createTextNode(" "));
        element.className += " picture-button";
      }
      element.appendChild(document.createTextNode(button.label));
      element.addEventListener("click", function () { send({ choice: button.value }, button.label); });
      choices.appendChild(element);
    });
  }

  function render(data, replaceAll) {
    if (replaceAll) { log.textContent = ""; }
    data.messages.forEach(addMessage);
    showButtons(data.buttons);
    if (data.reference) { showSaved(data.reference); }
  }

  // The reference and code, big, unbroken, with a copy button, kept at the top of the chat.
  function showSaved(reference) {
    var texts = Array.prototype.map.call(log.querySelectorAll(".msg-bot .msg-text"), function (p) {
      return p.textContent;
    });
    var code = "";
    texts.forEach(function (text) {
      if (text.indexOf(reference) !== -1) {
        var match = CODE.exec(text.split(reference).join(""));
        if (match) { code = match[1]; }
      }
    });
    document.getElementById("saved-reference").textContent = reference;
    document.getElementById("saved-code").textContent = code;
    savedBox.hidden = false;
  }

  document.getElementById("copy-saved").addEventListener("click", function () {
    var words = t("reference") + ": " + document.getElementById("saved-reference").textContent +
      "  " + t("code") + ": " + document.getElementById("saved-code").textContent;
    var done = function () { document.getElementById("copy-status").textContent = t("copied"); };
    var fail = function () { document.getElementById("copy-status").textContent = t("copy_failed"); };
    if (navigator.clipboard && navigator.clipboard.writeText) {
      navigator.clipboard.writeText(words).then(done, fail);
    } else { fail(); }
  });

  // A counter near the limit, and a plain message rather than cutting what they wrote.
  function countChars() {
    var left = maxChars - input.value.length;
    if (left < 0) {
      counter.textContent = t("too_long", -left);
      counter.className = "hint error-text";
    } else if (left <= Math.max(100, maxChars / 5)) {
      counter.textContent = t("chars_left", left);
      counter.className = "hint";
    } else {
      counter.textContent = "";
    }
    return left >= 0;
  }
  input.addEventListener("input", countChars);

  function startNew() {
    conversation = null;
    var body = { channel: "web_chat", language: lang, easy_read: easy };
    return request("POST", "/api/conversations", body).then(function (data) {
      conversation = { id: data.id, token: data.token, lang: lang, easy: easy };
      save();
      render(data, true);
    });
  }

  function resume() {
    conversation = load();
    // A different language or reading mode chosen on the page starts a new chat in it.
    if (!conversation || conversation.lang !== lang || conversation.easy !== easy) { return startNew(); }
    return request("GET", "/api/conversations/" + encodeURIComponent(conversation.id)).then(function (data) {
      render(data, true);
    }, function (error) {
      if (error.status === 404) { return startNew(); }
      throw error;
    });
  }

  function setBusy(value) {
    busy = value;
    sendButton.disabled = value;
    Array.prototype.forEach.call(choices.querySelectorAll("button"), function (b) { b.disabled = value; });
  }

  function send(body, echo) {
    if (!conversation) { return; }
    if (busy) { setStatus(t("busy")); return; }
    setBusy(true);
    setStatus(t("sending"));
    var keptText = input.value;
    return request("POST", "/api/conversations/" + encodeURIComponent(conversation.id) + "/messages", body)
      .then(function (data) {
        addMessage({ sender: "young_person", text: body.text !== undefined ? body.text : echo });
        if (body.text !== undefined) { input.value = ""; }
        render(data, false);
        setStatus("");
        countChars();
        // After a tap the phone keyboard stays closed: focus goes to the new choices, not the box.
        if (body.text !== undefined) { input.focus(); } else { choices.focus({ preventScroll: true }); }
      }, function (error) {
        // Nothing typed is lost: the text stays in the box to send again.
        input.value = keptText;
        setStatus(error.message + " " + (body.text !== undefined ? t("kept_text") : t("kept_choice")));
      })
      .then(function () { setBusy(false); });
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var text = input.value.trim();
    if (!text) { setStatus(t("type_first")); input.focus(); return; }
    if (!countChars()) { setStatus(counter.textContent); return; }
    send({ text: text });
  });

  input.addEventListener("keydown", function (event) {
    if (event.key === "Enter" && !event.shiftKey) {
      event.preventDefault();
      form.requestSubmit();
    }
  });

  helpBar.hidden = false;
  helpNow.addEventListener("click", function () { send({ choice: "nav:help_now" }, helpNow.textContent); });

  resume().catch(function (error) {
    setStatus(t("could_not_start") + " (" + error.message + ")");
  });
})();
