/* The dealer care chat widget: the one script a dealer pastes into their site.

   <script src="https://dealer-bot.example/widget.js" data-store="GZ-TH" data-language="zh-Hans"
           data-color="#c00" data-logo="https://dealer.example/logo.png" async></script>

   data-store     the store's code (aftersales Store.code), sent to the bot with the greeting
   data-language  zh-Hans (default), zh-Hant or en: the widget's own words and the greeting
   data-color     the header, launcher and customer-bubble colour (any CSS colour)
   data-logo      an image URL shown beside the bot's messages
   data-title     optional; a default title in the chosen language otherwise
   data-subtitle  optional

   It loads rasa-webchat (served by the same front door) and points it at the front door's
   Socket.IO endpoint. The conversation is kept in the browser's localStorage, so a reload shows
   the history and continues the same conversation. */
(function () {
  "use strict";
  var script = document.currentScript ||
    document.querySelector('script[src*="widget.js"][data-store], script[src$="/widget.js"]');
  if (!script || window.__dealerCareWidget) return;
  window.__dealerCareWidget = true;

  var base = new URL(".", script.src);  // the front door, also behind a path prefix
  var WORDS = {
    "zh-Hans": {title: "售后服务助手", hint: "输入消息…", connecting: "正在连接…"},
    "zh-Hant": {title: "售後服務助手", hint: "輸入訊息…", connecting: "正在連線…"},
    "en": {title: "After-sales assistant", hint: "Type a message…", connecting: "Connecting…"}
  };
  var data = script.dataset;
  var language = WORDS[data.language] ? data.language : "zh-Hans";
  var words = WORDS[language];
  var color = data.color && window.CSS && CSS.supports("color", data.color) ? data.color : "#0b3d91";

  // The greeting the widget sends when it is first opened: Rasa reads the page's language and
  // store from it as entities, like a button payload.
  var greeting = {language: language};
  if (data.store) greeting.store = data.store;

  var style = document.createElement("style");
  style.textContent =
    ".rw-launcher{background-color:" + color + " !important}" +
    ".rw-widget-container,.rw-widget-container *{font-family:system-ui,-apple-system,'Segoe UI'," +
    "'PingFang SC','Microsoft YaHei','Noto Sans CJK SC',sans-serif}" +
    ".rw-message-text .rw-markdown p{white-space:pre-line;margin:0}";  /* the bot's line breaks */
  document.head.appendChild(style);

  var bundle = document.createElement("script");
  bundle.src = new URL("widget/rasa-webchat.js", base).href;
  bundle.async = true;
  bundle.onload = function () {
    window.WebChat.default({
      socketUrl: base.origin,
      socketPath: base.pathname + "socket.io/",
      initPayload: "/greet" + JSON.stringify(greeting),
      customData: greeting,
      title: data.title || words.title,
      subtitle: data.subtitle || null,
      inputTextFieldHint: words.hint,
      connectingText: words.connecting,
      profileAvatar: data.logo || null,
      mainColor: color,
      userBackgroundColor: color,
      userTextColor: "#fff",
      params: {storage: "local"},
      withRules: false,
      showMessageDate: false,
      customMessageDelay: function (text) { return Math.min(200 + 5 * text.length, 1000); }
    }, null);
  };
  document.head.appendChild(bundle);
})();
