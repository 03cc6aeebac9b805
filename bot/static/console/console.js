// The console's one script: language toggle, the JSON API with the CSRF header, live SLA
// countdowns, and each page's rendering. Data is put in the page with textContent only;
// the only markup inserted is the dashboard's SVG, which the server escapes.
(function () {
  "use strict";

  var TEXT = {
    zh: {
      title: "售后服务控制台", nav_queue: "投诉队列", nav_dashboard: "数据看板", nav_workshop: "车间", logout: "退出",
      login_title: "控制台登录", username: "用户名", password: "密码", login: "登录",
      invalid: "用户名或密码错误。", locked: "尝试次数过多，请 {min} 分钟后再试。",
      view_open: "全部未结", view_new: "新投诉", view_escalated: "已升级", view_mine: "我的", view_overdue: "已超时",
      col_ticket: "编号", col_customer: "客户", col_category: "类别", col_summary: "内容", col_status: "状态",
      col_due: "时限", col_created: "创建", queue_empty: "没有投诉。",
      due_first: "首次响应", due_resolution: "解决", overdue: "已超时", left: "剩余",
      take_over: "接管对话", release: "交还机器人", reply: "回复客户", send: "发送",
      reply_hint: "未接管时发送会先接管对话（客户会看到主管已接入）。", resolution: "处理结果", resolve: "标记已解决",
      note: "内部备注（客户看不到）", add_note: "添加备注", contact_log: "对话记录", timeline: "处理时间线", photo: "客户照片",
      recent_orders: "近期维修单", earlier_complaints: "以往投诉", none: "无",
      held_by: "处理人", nobody: "未接管（机器人应答）", customer: "客户", phone: "电话", language: "语言",
      vehicles: "车辆", linked_order: "相关维修单", description: "客户原话", outcome: "客户诉求", severity: "严重程度",
      repeat: "重复投诉", done: "已完成。", not_delivered: "已记录，但客户当前不在线，上线后可在记录中看到。",
      fig_total: "投诉总数", fig_sla: "首次响应及时率", fig_repeat: "重复投诉率", fig_surveys: "满意度问卷",
      chart_categories: "每周投诉（按类别）", chart_sla: "首次响应及时率（每周）", chart_repeat: "重复投诉率（每周）",
      chart_satisfaction: "各维度满意度（1–5分）", orders_empty: "没有在修的维修单。",
      stage: "当前阶段", eta: "预计完工", advisor: "服务顾问", items: "项目", kind: "类型", labour: "工时", part: "配件",
      quantity: "数量", unit_price: "单价", total: "小计", approval: "客户确认", needs_approval: "追加项目，需客户确认",
      add_item: "添加项目", move_to: "推进到", stage_note: "备注（可选）", billed: "已计费",
      description_zh: "项目名称", description_en: "英文名称（可选）",
      err_forbidden: "您没有权限。", err_already_taken: "已被 {holder} 接管。", err_not_held: "请先接管对话。",
      err_no_conversation: "该投诉没有在线对话。", err_closed: "该投诉/维修单已结束。", err_empty: "请填写内容。",
      err_not_allowed: "不能从当前阶段推进到该阶段。", err_pending_approval: "还有追加项目等待客户确认。",
      err_bad_item: "项目信息不完整或不正确。", err_csrf: "页面已过期，请刷新。", err_no_such_ticket: "找不到该投诉。",
      approval_not_needed: "—", approval_pending: "待确认", approval_approved: "已同意", approval_declined: "已拒绝",
      status_new: "新投诉", status_escalated: "已升级", status_taken: "处理中", status_resolved: "已解决", status_closed: "已结案",
      cat_advisor: "服务顾问", cat_waiting_time: "等待时间", cat_repair_quality: "维修质量", cat_price: "价格",
      cat_facilities: "设施", cat_product_quality: "产品质量", cat_other: "其他",
      ev_created: "创建", ev_acknowledged: "已确认受理", ev_escalated: "升级", ev_taken: "主管接管", ev_released: "交还机器人",
      ev_message_in: "客户消息", ev_message_out: "回复客户", ev_note: "内部备注", ev_resolved: "已解决",
      ev_reopened: "重新打开", ev_closed: "结案", ev_survey: "满意度问卷"
    },
    en: {
      title: "After-sales console", nav_queue: "Complaint queue", nav_dashboard: "Dashboard", nav_workshop: "Workshop",
      logout: "Log out", login_title: "Console login", username: "Username", password: "Password", login: "Log in",
      invalid: "Wrong username or password.", locked: "Too many attempts; try again in {min} minutes.",
      view_open: "All open", view_new: "New", view_escalated: "Escalated", view_mine: "Mine", view_overdue: "Overdue",
      col_ticket: "Ticket", col_customer: "Customer", col_category: "Category", col_summary: "Complaint",
      col_status: "Status", col_due: "Deadline", col_created: "Created", queue_empty: "No complaints.",
      due_first: "First response", due_resolution: "Resolution", overdue: "overdue", left: "left",
      take_over: "Take over", release: "Hand back to the bot", reply: "Reply to the customer", send: "Send",
      reply_hint: "Sending takes the conversation over first if nobody holds it (the customer is told you joined).",
      resolution: "Resolution", resolve: "Mark resolved", note: "Internal note (never shown to the customer)",
      add_note: "Add note", contact_log: "Conversation", timeline: "Timeline", photo: "Customer's photo", recent_orders: "Recent repair orders",
      earlier_complaints: "Earlier complaints", none: "None", held_by: "Held by", nobody: "Nobody (the bot answers)",
      customer: "Customer", phone: "Phone", language: "Language", vehicles: "Vehicles", linked_order: "Repair order",
      description: "In the customer's words", outcome: "Wants", severity: "Severity", repeat: "Repeat complaint",
      done: "Done.", not_delivered: "Saved, but the customer is not connected now; they will see it in the log.",
      fig_total: "Complaints", fig_sla: "First response on time", fig_repeat: "Repeat complaints",
      fig_surveys: "Surveys answered", chart_categories: "Complaints by category per week",
      chart_sla: "First response on time, per week", chart_repeat: "Repeat complaints, per week",
      chart_satisfaction: "Satisfaction by dimension (1–5)", orders_empty: "No open repair orders.",
      stage: "Stage", eta: "Expected ready", advisor: "Advisor", items: "Items", kind: "Kind", labour: "Labour",
      part: "Part", quantity: "Qty", unit_price: "Unit price", total: "Total", approval: "Customer approval",
      needs_approval: "Extra work: needs the customer's approval", add_item: "Add item", move_to: "Move to",
      stage_note: "Note (optional)", billed: "Billed", description_zh: "Description",
      description_en: "English description (optional)",
      err_forbidden: "You are not allowed to do this.", err_already_taken: "{holder} holds this conversation.",
      err_not_held: "Take the conversation over first.", err_no_conversation: "This complaint has no chat conversation.",
      err_closed: "This complaint or order is closed.", err_empty: "Please write something.",
      err_not_allowed: "That stage does not follow the current one.",
      err_pending_approval: "Extra work is still waiting for the customer's decision.",
      err_bad_item: "The item is incomplete or wrong.", err_csrf: "This page has expired; reload it.",
      err_no_such_ticket: "No such complaint.",
      approval_not_needed: "—", approval_pending: "pending", approval_approved: "approved", approval_declined: "declined",
      status_new: "new", status_escalated: "escalated", status_taken: "taken", status_resolved: "resolved",
      status_closed: "closed", cat_advisor: "Advisor", cat_waiting_time: "Waiting time",
      cat_repair_quality: "Repair quality", cat_price: "Price", cat_facilities: "Facilities",
      cat_product_quality: "Product quality", cat_other: "Other",
      ev_created: "created", ev_acknowledged: "acknowledged", ev_escalated: "escalated", ev_taken: "taken over",
      ev_released: "handed back", ev_message_in: "customer wrote", ev_message_out: "reply sent", ev_note: "internal note",
      ev_resolved: "resolved", ev_reopened: "reopened", ev_closed: "closed", ev_survey: "survey"
    }
  };

  var lang = localStorage.getItem("console-lang") || ((navigator.language || "").indexOf("zh") === 0 ? "zh" : "en");
  var csrf = null;
  var me = null;
  var skew = 0;  // the product's clock minus this browser's (demos move the product's clock)

  function t(key, values) {
    var text = TEXT[lang][key] || TEXT.en[key] || key;
    Object.keys(values || {}).forEach(function (name) { text = text.replace("{" + name + "}", values[name]); });
    return text;
  }

  function applyLanguage() {
    document.documentElement.lang = lang === "zh" ? "zh-Hans" : "en";
    document.querySelectorAll("[data-i18n]").forEach(function (node) { node.textContent = t(node.dataset.i18n); });
    var toggle = document.getElementById("lang-toggle");
    if (toggle) { toggle.textContent = lang === "zh" ? "English" : "中文"; }
  }

  function el(tag, attrs) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (name) {
      if (name === "text") { node.textContent = attrs[name]; }
      else if (name === "className") { node.className = attrs[name]; }
      else { node.setAttribute(name, attrs[name]); }
    });
    for (var i = 2; i < arguments.length; i++) {
      var child = arguments[i];
      if (child === null || child === undefined) { continue; }
      node.appendChild(typeof child === "string" ? document.createTextNode(child) : child);
    }
    return node;
  }

  function clear(node) { while (node.firstChild) { node.removeChild(node.firstChild); } return node; }

  function say(text, ok) {
    var box = document.getElementById("message");
    if (!box) { return; }
    box.textContent = text || "";
    box.className = ok ? "ok" : "";
  }

  function explain(error) {
    var data = error.data || {};
    if (data.error === "locked") { return t("locked", {min: Math.ceil((data.retry_after || 900) / 60)}); }
    var key = "err_" + data.error;
    return TEXT.en[key] ? t(key, {holder: data.holder || ""}) : String(error.message);
  }

  function api(method, path, body) {
    var options = {method: method, credentials: "same-origin", headers: {"Accept": "application/json"}};
    if (method !== "GET") {
      options.headers["Content-Type"] = "application/json";
      options.headers["X-CSRF-Token"] = csrf || "";
      options.body = JSON.stringify(body || {});
    }
    return fetch("/console/api" + path, options).then(function (response) {
      return response.json().catch(function () { return {}; }).then(function (data) {
        if (response.status === 401 && path !== "/login") { location.href = "/console/login"; }
        if (!response.ok) {
          var error = new Error(data.error || String(response.status));
          error.data = data;
          throw error;
        }
        return data;
      });
    });
  }

  // ------------------------------------------------------------------ live SLA countdowns

  function countdown(when, label) {
    if (!when) { return null; }
    return el("span", {className: "countdown", "data-due": when.iso, title: when.local, "data-label": label || ""});
  }

  function setSkew(serverNow) {
    if (serverNow) { skew = Date.parse(serverNow) - Date.now(); }
  }

  function tick() {
    var now = Date.now() + skew;
    document.querySelectorAll("[data-due]").forEach(function (node) {
      var left = Date.parse(node.dataset.due) - now;
      var minutes = Math.floor(Math.abs(left) / 60000);
      var text = (minutes >= 1440 ? Math.floor(minutes / 1440) + "d " : "") +
        Math.floor((minutes % 1440) / 60) + "h " + String(minutes % 60).padStart(2, "0") + "m";
      var prefix = node.dataset.label ? node.dataset.label + ": " : "";
      node.textContent = prefix + (left < 0 ? text + " " + t("overdue") : text + " " + t("left"));
      node.classList.toggle("late", left < 0);
      node.classList.toggle("soon", left >= 0 && left < 30 * 60000);
    });
  }

  // ------------------------------------------------------------------ pages

  var pages = {};

  pages.login = function () {
    document.getElementById("login-form").addEventListener("submit", function (event) {
      event.preventDefault();
      api("POST", "/login", {
        username: document.getElementById("username").value,
        password: document.getElementById("password").value
      }).then(function (data) {
        location.href = data.staff.complaints ? "/console/queue" : "/console/workshop";
      }).catch(function (error) {
        say(error.data && error.data.error === "invalid" ? t("invalid") : explain(error));
      });
    });
  };

  var view = "open";
  pages.queue = function () {
    document.querySelectorAll("#views button").forEach(function (button) {
      button.addEventListener("click", function () { view = button.dataset.view; loadQueue(); });
    });
    loadQueue();
    setInterval(loadQueue, 20000);
  };

  function loadQueue() {
    document.querySelectorAll("#views button").forEach(function (button) {
      button.classList.toggle("current", button.dataset.view === view);
    });
    api("GET", "/queue?view=" + encodeURIComponent(view)).then(function (data) {
      setSkew(data.now);
      var body = clear(document.getElementById("queue-rows"));
      data.tickets.forEach(function (row) {
        var link = el("a", {href: "/console/ticket?ref=" + encodeURIComponent(row.reference), text: row.reference});
        body.appendChild(el("tr", {"data-reference": row.reference},
          el("td", {}, link, row.severity === "high" ? el("span", {className: "badge high", text: "!"}) : null,
             row.is_repeat ? el("span", {className: "badge repeat", text: t("repeat")}) : null),
          el("td", {text: row.customer + (row.phone ? " · " + row.phone : "")}),
          el("td", {text: t("cat_" + row.category)}),
          el("td", {text: row.summary}),
          el("td", {text: t("status_" + row.status) + (row.holder ? " · " + row.holder : "")}),
          el("td", {}, countdown(row.next_due, row.first_response_at ? t("due_resolution") : t("due_first"))),
          el("td", {text: row.created.local})));
      });
      document.getElementById("queue-empty").hidden = data.tickets.length > 0;
      tick();
    }).catch(function (error) { say(explain(error)); });
  }

  var reference = new URLSearchParams(location.search).get("ref") || "";
  pages.ticket = function () {
    document.querySelectorAll("#ticket-actions button").forEach(function (button) {
      button.addEventListener("click", function () { act(button.dataset.action, {}); });
    });
    formAction("reply-form", "reply", "reply-text", "text");
    formAction("resolve-form", "resolve", "resolution-text", "resolution");
    formAction("note-form", "note", "note-text", "text");
    loadTicket();
    setInterval(loadTicket, 5000);
  };

  function formAction(formId, action, fieldId, key) {
    document.getElementById(formId).addEventListener("submit", function (event) {
      event.preventDefault();
      var body = {};
      body[key] = document.getElementById(fieldId).value;
      act(action, body).then(function (ok) { if (ok) { document.getElementById(fieldId).value = ""; } });
    });
  }

  function act(action, body) {
    var path = "/tickets/" + encodeURIComponent(reference) + "/" + action;
    return api("POST", path, body).then(function (data) {
      say(data.delivered === false ? t("not_delivered") : t("done"), true);
      loadTicket();
      return true;
    }).catch(function (error) { say(explain(error)); return false; });
  }

  function loadTicket() {
    api("GET", "/tickets/" + encodeURIComponent(reference)).then(function (data) {
      setSkew(data.now);
      var ticket = data.ticket;
      document.getElementById("ticket-title").textContent =
        ticket.reference + " · " + t("cat_" + ticket.category) + " · " + t("status_" + ticket.status);
      var facts = clear(document.getElementById("ticket-facts"));
      facts.appendChild(el("p", {}, el("strong", {text: t("description") + ": "}), ticket.description));
      if (ticket.desired_outcome) { facts.appendChild(el("p", {text: t("outcome") + ": " + ticket.desired_outcome})); }
      facts.appendChild(el("p", {text: t("severity") + ": " + ticket.severity + (ticket.is_repeat ? " · " + t("repeat") : "")}));
      facts.appendChild(el("p", {}, countdown(ticket.first_response_due, t("due_first")),
        ticket.first_response_at ? " ✓ " + ticket.first_response_at.local : ""));
      facts.appendChild(el("p", {}, countdown(ticket.resolution_due, t("due_resolution"))));
      facts.appendChild(el("p", {text: t("held_by") + ": " + (ticket.holder || t("nobody"))}));
      if (ticket.resolution) { facts.appendChild(el("p", {text: t("resolution") + ": " + ticket.resolution})); }
      var customer = clear(document.getElementById("ticket-customer"));
      var detail = ticket.customer_detail;
      customer.appendChild(el("h2", {text: t("customer")}));
      customer.appendChild(el("p", {text: detail.name + " · " + t("phone") + " " + (detail.phone || "—") + " · " +
        t("language") + " " + ticket.language}));
      customer.appendChild(el("p", {text: t("vehicles") + ": " + ticket.vehicles.map(function (v) {
        return v.plate + " " + v.make + " " + v.model + " (" + v.mileage_km + " km)";
      }).join("; ")}));
      if (ticket.order) {
        customer.appendChild(el("p", {text: t("linked_order") + ": " + ticket.order.reference + " · " + ticket.order.stage[lang]}));
      }
      renderLog(ticket.contact_log);
      renderPhotos(ticket.photos);
      renderTimeline(ticket.timeline);
      renderList("recent-orders", ticket.recent_orders, function (o) {
        return o.reference + " · " + o.plate + " · " + o.stage[lang] + " · " + o.opened.local;
      });
      renderList("earlier-complaints", ticket.earlier_complaints, function (c) {
        return c.reference + " · " + t("cat_" + c.category) + " · " + t("status_" + c.status) + " · " + c.summary;
      });
      document.querySelectorAll("[data-action]").forEach(function (button) {
        button.hidden = ticket.actions.indexOf(button.dataset.action) < 0;
      });
      document.getElementById("reply-form").hidden = ticket.actions.indexOf("reply") < 0;
      document.getElementById("resolve-form").hidden = ticket.actions.indexOf("resolve") < 0;
      tick();
    }).catch(function (error) { say(explain(error)); });
  }

  function renderLog(entries) {
    var box = document.getElementById("contact-log");
    var atBottom = box.scrollTop + box.clientHeight >= box.scrollHeight - 10;
    clear(box);
    entries.forEach(function (entry) {
      box.appendChild(el("div", {className: "msg " + entry.direction},
        el("div", {className: "meta", text: entry.author + " · " + entry.at.local}), entry.text));
    });
    if (atBottom) { box.scrollTop = box.scrollHeight; }
  }

  function renderPhotos(photos) {
    var box = clear(document.getElementById("photos"));
    box.hidden = !photos.length;
    photos.forEach(function (photo) {
      var link = el("a", {href: photo.url, target: "_blank", rel: "noopener"},
        el("img", {src: photo.url, alt: photo.caption || t("photo"), className: "photo"}));
      box.appendChild(el("figure", {}, link, el("figcaption", {text: photo.at.local + (photo.caption ? " · " + photo.caption : "")})));
    });
  }

  function renderTimeline(events) {
    var box = clear(document.getElementById("timeline"));
    events.forEach(function (event) {
      box.appendChild(el("div", {className: "event " + event.kind, "data-kind": event.kind},
        el("div", {className: "meta", text: event.at.local + " · " + event.actor}),
        el("strong", {text: t("ev_" + event.kind)}), event.detail ? " — " + event.detail : ""));
    });
  }

  function renderList(id, rows, line) {
    var box = clear(document.getElementById(id));
    if (!rows.length) { box.appendChild(el("p", {className: "muted", text: t("none")})); return; }
    var list = el("ul");
    rows.forEach(function (row) { list.appendChild(el("li", {text: line(row)})); });
    box.appendChild(list);
  }

  pages.dashboard = function () {
    api("GET", "/dashboard?weeks=8&lang=" + lang).then(function (data) {
      var figures = data.figures;
      var percent = function (rate) { return rate === null ? "–" : Math.round(rate * 100) + "%"; };
      document.getElementById("fig-total").textContent = figures.total;
      document.getElementById("fig-sla").textContent = percent(figures.sla.rate);
      document.getElementById("fig-repeat").textContent = percent(figures.repeat.rate);
      document.getElementById("fig-surveys").textContent = figures.satisfaction.surveys;
      Object.keys(data.charts).forEach(function (name) {
        // Server-drawn SVG: every label in it is escaped by bot/console_charts.py.
        document.getElementById("chart-" + name).innerHTML = data.charts[name];
      });
    }).catch(function (error) { say(explain(error)); });
  };

  pages.workshop = function () {
    loadOrders();
    setInterval(function () {
      if (document.activeElement === document.body) { loadOrders(); }
    }, 30000);
  };

  function loadOrders() {
    api("GET", "/orders").then(function (data) {
      var box = clear(document.getElementById("orders"));
      data.orders.forEach(function (order) { box.appendChild(orderCard(order)); });
      document.getElementById("orders-empty").hidden = data.orders.length > 0;
    }).catch(function (error) { say(explain(error)); });
  }

  function money(cents, currency) {
    return (currency === "CNY" ? "¥" : currency === "USD" ? "$" : currency + " ") + (cents / 100).toFixed(2);
  }

  function orderCard(order) {
    var card = el("section", {className: "card", "data-order": order.reference});
    card.appendChild(el("h2", {text: order.reference + " · " + order.plate + " · " + order.vehicle}));
    card.appendChild(el("p", {text: t("stage") + ": " + order.stage[lang] + (order.eta ? " · " + t("eta") + " " +
      order.eta.local : "") + (order.advisor ? " · " + t("advisor") + " " + order.advisor : "") + " · " +
      order.customer + (order.phone ? " " + order.phone : "")}));
    var table = el("table", {}, el("tr", {}, el("th", {text: t("kind")}), el("th", {text: t("description_zh")}),
      el("th", {text: t("quantity")}), el("th", {text: t("unit_price")}), el("th", {text: t("total")}),
      el("th", {text: t("approval")})));
    order.items.forEach(function (item) {
      table.appendChild(el("tr", {}, el("td", {text: t(item.kind)}),
        el("td", {text: lang === "en" && item.description_en ? item.description_en : item.description}),
        el("td", {text: String(item.quantity)}), el("td", {text: money(item.unit_cents, order.currency)}),
        el("td", {text: money(item.total_cents, order.currency)}),
        el("td", {}, el("span", {className: "badge " + item.approval, text: t("approval_" + item.approval)}))));
    });
    card.appendChild(table);
    card.appendChild(el("p", {text: t("billed") + ": " + money(order.billed_cents, order.currency)}));
    var note = el("input", {placeholder: t("stage_note"), maxlength: "500"});
    var moves = el("div", {className: "row"}, el("span", {text: t("move_to") + ":"}), note);
    order.next_stages.forEach(function (next) {
      var button = el("button", {type: "button", className: "action" + (next.stage === "cancelled" ? " secondary" : ""),
        "data-stage": next.stage, text: next.name[lang]});
      button.addEventListener("click", function () {
        orderAction(order.reference, "advance", {stage: next.stage, note: note.value});
      });
      moves.appendChild(button);
    });
    card.appendChild(moves);
    card.appendChild(itemForm(order));
    return card;
  }

  function itemForm(order) {
    var kind = el("select", {}, el("option", {value: "labour", text: t("labour")}), el("option", {value: "part", text: t("part")}));
    var description = el("input", {placeholder: t("description_zh"), maxlength: "200", required: "required"});
    var english = el("input", {placeholder: t("description_en"), maxlength: "200"});
    var quantity = el("input", {type: "number", min: "1", value: "1", title: t("quantity")});
    var price = el("input", {type: "number", min: "0", step: "0.01", placeholder: t("unit_price"), required: "required"});
    var approval = el("input", {type: "checkbox"});
    var form = el("form", {className: "row"}, kind, description, english, quantity, price,
      el("label", {}, approval, " " + t("needs_approval")), el("button", {className: "action", type: "submit", text: t("add_item")}));
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      orderAction(order.reference, "add_item", {kind: kind.value, description: description.value,
        description_en: english.value, quantity: quantity.value, unit_price: price.value, needs_approval: approval.checked});
    });
    return form;
  }

  function orderAction(ref, action, body) {
    api("POST", "/orders/" + encodeURIComponent(ref) + "/" + action, body).then(function () {
      say(t("done"), true);
      loadOrders();
    }).catch(function (error) { say(explain(error)); });
  }

  // ------------------------------------------------------------------ start

  function start() {
    applyLanguage();
    var page = document.body.dataset.page;
    var toggle = document.getElementById("lang-toggle");
    if (toggle) {
      toggle.addEventListener("click", function () {
        lang = lang === "zh" ? "en" : "zh";
        localStorage.setItem("console-lang", lang);
        location.reload();
      });
    }
    document.querySelectorAll("[data-nav]").forEach(function (link) {
      link.classList.toggle("current", link.dataset.nav === page);
    });
    setInterval(tick, 1000);
    if (page === "login") { pages.login(); return; }
    api("GET", "/me").then(function (data) {
      csrf = data.csrf;
      me = data.staff;
      document.getElementById("who").textContent = lang === "en" && me.display_name_en ? me.display_name_en : me.display_name;
      document.querySelectorAll("[data-nav]").forEach(function (link) {
        var side = link.dataset.nav === "workshop" ? me.workshop : me.complaints;
        link.hidden = !side;
      });
      document.getElementById("logout").addEventListener("click", function () {
        api("POST", "/logout", {}).then(function () { location.href = "/console/login"; });
      });
      pages[page]();
    }).catch(function (error) { say(explain(error)); });
  }

  document.addEventListener("DOMContentLoaded", start);
})();
