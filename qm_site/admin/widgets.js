// qm-site's three form widgets for Decap CMS, for the model types no stock widget takes (qm_site/site/admin.py).
// Each keeps the form a value is written in: a value loaded and saved unedited is the same value.
// Registered through Decap's public API (CMS.registerWidget, with the createClass and h it exposes).
(function () {
  "use strict";
  var CMS = window.CMS, h = window.h, createClass = window.createClass;

  function plain(value) {  // Decap hands values over as Immutable.js collections
    return value && typeof value.toJS === "function" ? value.toJS() : value;
  }

  // `str | list[str]`: one text area; a list is written as lines that start with "- ".
  function listToText(value) {
    value = plain(value);
    if (Array.isArray(value)) return value.map(function (item) { return "- " + item; }).join("\n");
    return value == null ? "" : String(value);
  }

  function textToList(text) {
    var lines = text.split("\n").filter(function (line) { return line.trim() !== ""; });
    if (lines.length && lines.every(function (line) { return /^\s*- /.test(line); })) {
      return lines.map(function (line) { return line.replace(/^\s*- /, "").trim(); });
    }
    return text.trim();
  }

  var TextOrList = createClass({
    getInitialState: function () { return { text: listToText(this.props.value) }; },
    handleChange: function (e) {
      this.setState({ text: e.target.value });
      this.props.onChange(textToList(e.target.value));
    },
    render: function () {
      return h("textarea", {
        id: this.props.forID, className: this.props.classNameWrapper, value: this.state.text, rows: 4,
        onChange: this.handleChange, onFocus: this.props.setActiveStyle, onBlur: this.props.setInactiveStyle,
        style: { minHeight: "6em", fontFamily: "inherit" },
        placeholder: "一段文字；或每行以“- ”开头的要点列表",
      });
    },
  });

  // `Slogan | str`: the slogan and its English translation; plain text when there is no translation.
  var Slogan = createClass({
    parts: function () {
      var value = plain(this.props.value);
      if (value && typeof value === "object") return { text: value.text || "", en: value.en || "" };
      return { text: value == null ? "" : String(value), en: "" };
    },
    change: function (key, e) {
      var parts = this.parts();
      parts[key] = e.target.value;
      var text = parts.text.trim(), en = parts.en.trim();
      this.props.onChange(en ? { text: text, en: en } : text);
    },
    render: function () {
      var parts = this.parts(), props = this.props;
      var input = function (key, label, extra) {
        return h("label", { style: { display: "block", marginBottom: "6px" } },
          h("span", { style: { display: "block", fontSize: "13px", color: "#555" } }, label),
          h("input", Object.assign({ type: "text", className: props.classNameWrapper, value: parts[key],
            onChange: this.change.bind(this, key), onFocus: props.setActiveStyle, onBlur: props.setInactiveStyle }, extra)));
      }.bind(this);
      return h("div", null, input("text", "口号（上下句用空格分开）", { id: props.forID }), input("en", "英文（可不填）", {}));
    },
  });

  // `Period | str`: the period as the notice prints it (9月1日-30日), or "2023-09-01 至 2023-09-30" for exact dates.
  var ISO_RANGE = /^\s*(\d{4}-\d{2}-\d{2})\s*至\s*(\d{4}-\d{2}-\d{2})\s*$/;
  var Period = createClass({
    getInitialState: function () {
      var value = plain(this.props.value);
      var text = value && typeof value === "object" ? value.start + " 至 " + value.end : (value == null ? "" : String(value));
      return { text: text };
    },
    handleChange: function (e) {
      var text = e.target.value, m = ISO_RANGE.exec(text);
      this.setState({ text: text });
      this.props.onChange(m ? { start: m[1], end: m[2] } : text.trim());
    },
    render: function () {
      return h("input", {
        type: "text", id: this.props.forID, className: this.props.classNameWrapper, value: this.state.text,
        onChange: this.handleChange, onFocus: this.props.setActiveStyle, onBlur: this.props.setInactiveStyle,
        placeholder: "例如 9月1日-30日，或 2023-09-01 至 2023-09-30",
      });
    },
  });

  CMS.registerWidget("qm-text-or-list", TextOrList);
  CMS.registerWidget("qm-slogan", Slogan);
  CMS.registerWidget("qm-period", Period);
})();
