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
  var quickExit = document.getElementById("quick-exit");
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
  }

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
        input.focus();
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
    send({ text: text });
  });

  input.addEventListener("keydown", function (event) {
    if (event.key === "Enter" && !event.shiftKey) {
      event.preventDefault();
      form.requestSubmit();
    }
  });

  if (quickExit) {
    quickExit.addEventListener("click", function (event) {
      event.preventDefault();
      sessionStorage.clear();
      window.location.replace(quickExit.href);
    });
  }

  resume().catch(function (error) {
    setStatus("The chat could not start: " + error.message + " Please reload the page.");
  });
})();
