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
  var maxChars = parseInt(document.getElementById("chat").getAttribute("data-max-chars"), 10) || 2000;
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
          var error = new Error((data.error && data.error.message) || "Something went wrong.");
          error.status = response.status;
          throw error;
        }
        return data;
      });
    });
  }

  function addMessage(message) {
    var item = document.createElement("li");
    item.className = "msg msg-" + (message.sender === "bot" ? "bot" : "me");
    var who = document.createElement("span");
    who.className = "visually-hidden";
    who.textContent = message.sender === "bot" ? "Voices of Sandwell said: " : "You said: ";
    var text = document.createElement("p");
    text.className = "msg-text";
    text.textContent = message.text;  // never innerHTML: what people write is shown as text
    item.appendChild(who);
    item.appendChild(text);
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
      element.textContent = button.label;
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
    var words = "Reference: " + document.getElementById("saved-reference").textContent +
      " Code: " + document.getElementById("saved-code").textContent;
    var done = function () { document.getElementById("copy-status").textContent = "Copied."; };
    var fail = function () {
      document.getElementById("copy-status").textContent = "Could not copy: please write them down.";
    };
    if (navigator.clipboard && navigator.clipboard.writeText) {
      navigator.clipboard.writeText(words).then(done, fail);
    } else { fail(); }
  });

  // A counter near the limit, and a plain message rather than cutting what they wrote.
  function countChars() {
    var left = maxChars - input.value.length;
    if (left < 0) {
      counter.textContent = "Your message is " + (-left) + " characters too long. Please make it shorter, " +
        "or send it in two parts.";
      counter.className = "hint error-text";
    } else if (left <= Math.max(100, maxChars / 5)) {
      counter.textContent = left + " characters left.";
      counter.className = "hint";
    } else {
      counter.textContent = "";
    }
    return left >= 0;
  }
  input.addEventListener("input", countChars);

  function startNew() {
    conversation = null;
    return request("POST", "/api/conversations", { channel: "web_chat" }).then(function (data) {
      conversation = { id: data.id, token: data.token };
      save();
      render(data, true);
    });
  }

  function resume() {
    conversation = load();
    if (!conversation) { return startNew(); }
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
    if (busy) { setStatus("Just a moment, still sending your last message…"); return; }
    setBusy(true);
    setStatus("Sending…");
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
        setStatus(error.message + (body.text !== undefined
          ? " Your message is still in the box; please try again."
          : " Nothing was lost; please press it again."));
      })
      .then(function () { setBusy(false); });
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var text = input.value.trim();
    if (!text) { setStatus("Type a message first."); input.focus(); return; }
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
    setStatus("The chat could not start: " + error.message + " Please reload the page.");
  });
})();
