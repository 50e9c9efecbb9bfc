// qm-site's form widgets for Decap CMS, for the model types no stock widget takes (qm_site/site/admin.py), the save
// step that renumbers schedule rows, and the Markdown preview numbered as the site numbers sections.
// Each widget keeps the form a value is written in: a value loaded and saved unedited is the same value.
// Registered through Decap's public API (CMS.registerWidget, registerEventListener and registerPreviewStyle, with the
// createClass and h it exposes).
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

  // Whether year-month-day is a day of the calendar (no 2月30日); year 2000 when the text names none (29 Feb allowed).
  function realDay(year, month, day) {
    var d = new Date(Date.UTC(year, month - 1, day));
    return month >= 1 && month <= 12 && d.getUTCFullYear() === year && d.getUTCMonth() === month - 1 && d.getUTCDate() === day;
  }

  // What is wrong with a period as typed, in Chinese naming the field, or "" (check refuses the same: schema.py, content.py).
  function periodProblem(text, label) {
    var m = ISO_RANGE.exec(text), bad;
    if (m) {
      bad = [m[1], m[2]].filter(function (iso) { var p = iso.split("-").map(Number); return !realDay(p[0], p[1], p[2]); });
      if (bad.length) return "“" + label + "”中的 " + bad.join("、") + " 不是日历上的日期（请检查月份 1-12 和该月的天数）";
      if (m[1] > m[2]) return "“" + label + "”的开始日期 " + m[1] + " 晚于结束日期 " + m[2] + "（请对调）";
      return "";
    }
    var days = /(\d{1,2})月(\d{1,2})日/g, found;
    while ((found = days.exec(text)) !== null) {
      if (!realDay(2000, Number(found[1]), Number(found[2]))) {
        return "“" + label + "”中的 " + found[0] + " 不是日历上的日期（请检查月份 1-12 和该月的天数）";
      }
    }
    return "";
  }

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
    // Decap asks before saving: an impossible date or a period that ends before it starts is refused here, in the form.
    isValid: function () {
      var problem = periodProblem(this.state.text, this.props.field.get("label"));
      return problem ? { error: { type: "CUSTOM", message: problem } } : true;
    },
    render: function () {
      return h("input", {
        type: "text", id: this.props.forID, className: this.props.classNameWrapper, value: this.state.text,
        onChange: this.handleChange, onFocus: this.props.setActiveStyle, onBlur: this.props.setInactiveStyle,
        placeholder: "例如 9月1日-30日，或 2023-09-01 至 2023-09-30",
      });
    },
  });

  // Activity.no: whether the row has a 序号; the number itself is its place among the numbered rows, given on save.
  // The number is not shown: Decap's form keeps the values it had before a save, so after a move it would be stale.
  var ROW_NUMBER = "no";  // the model field with this widget (admin.py: metadata `renumber`)
  var RowNumber = createClass({
    handleChange: function (e) {
      this.props.onChange(e.target.checked ? 0 : null);
    },
    render: function () {
      var value = this.props.value, numbered = typeof value === "number";
      return h("label", { style: { display: "flex", gap: "8px", alignItems: "center", padding: "8px 0" } },
        h("input", { type: "checkbox", id: this.props.forID, checked: numbered, onChange: this.handleChange,
          onFocus: this.props.setActiveStyle, onBlur: this.props.setInactiveStyle }),
        h("span", null, numbered ? "编序号（保存时按这一行在表中的位置编号）" : "此行不编序号"));
    },
  });

  // Decap's entry data is Immutable.js, which it does not expose: lists and mappings are told apart by their methods.
  function isList(v) { return v != null && typeof v.push === "function" && typeof v.toArray === "function"; }
  function isMap(v) { return v != null && typeof v.keySeq === "function" && typeof v.set === "function" && !isList(v); }

  // The numbered rows of every table get 1, 2, 3 … in the order the editor sees them; rows without a number keep none.
  function renumber(value) {
    if (isList(value)) {
      var n = 0;
      return value.map(function (item) {
        var numbered = isMap(item) && typeof item.get(ROW_NUMBER) === "number";
        return renumber(numbered ? item.set(ROW_NUMBER, ++n) : item);
      });
    }
    return isMap(value) ? value.map(renumber) : value;
  }

  CMS.registerWidget("qm-text-or-list", TextOrList);
  CMS.registerWidget("qm-slogan", Slogan);
  CMS.registerWidget("qm-period", Period);
  CMS.registerWidget("qm-row-number", RowNumber);
  CMS.registerEventListener({
    name: "preSave",
    handler: function (event) { return renumber(event.entry.get("data")); },
  });

  // The Markdown files: Decap's Markdown editor with a preview whose `## ` headings are numbered 一、二、… from the
  // number the site gives the first (the field's qm_first_section, admin.py; attachments are not numbered). Decap
  // lets a new widget reuse a registered control with its own preview. Comments are HTML comments: not shown.
  CMS.registerPreviewStyle(
    "body { font-family: \"PingFang SC\", \"Microsoft YaHei\", \"Noto Sans CJK SC\", \"Source Han Sans SC\", sans-serif; }" +
    ".qm-text h2 { counter-increment: qm-section; }" +
    ".qm-text.qm-numbered h2::before { content: counter(qm-section, simp-chinese-informal) \"、\"; }",
    { raw: true });
  var NumberedPreview = createClass({
    render: function () {
      var first = this.props.field.get("qm_first_section"), markdown = CMS.getWidget("markdown");
      return h("div", { className: "qm-text" + (first ? " qm-numbered" : ""), style: { counterReset: "qm-section " + ((first || 1) - 1) } },
        h(markdown.preview, this.props));
    },
  });
  CMS.registerWidget("qm-markdown", "markdown", NumberedPreview);
})();
