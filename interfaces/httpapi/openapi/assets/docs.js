// Torque API reference: an optional filter over the operations. The page is
// complete without this script; it only adds the filter box.
"use strict";

document.addEventListener("DOMContentLoaded", function () {
  var input = document.getElementById("filter");
  if (!input) {
    return;
  }
  input.hidden = false;

  var navOps = Array.prototype.slice.call(document.querySelectorAll(".nav-op"));
  var ops = Array.prototype.slice.call(document.querySelectorAll("article.op"));
  var tags = Array.prototype.slice.call(document.querySelectorAll("section.tag"));
  var navTags = Array.prototype.slice.call(document.querySelectorAll(".nav-tag"));

  function matches(el, words) {
    var text = (el.getAttribute("data-search") || "").toLowerCase();
    return words.every(function (w) { return text.indexOf(w) >= 0; });
  }

  function apply() {
    var words = input.value.toLowerCase().split(/\s+/).filter(Boolean);
    navOps.forEach(function (el) { el.hidden = !matches(el, words); });
    ops.forEach(function (el) { el.hidden = !matches(el, words); });
    tags.forEach(function (el) { el.hidden = !el.querySelector("article.op:not([hidden])"); });
    navTags.forEach(function (el) { el.hidden = !el.querySelector(".nav-op:not([hidden])"); });
  }

  input.addEventListener("input", apply);
  input.addEventListener("keydown", function (e) {
    if (e.key === "Escape") {
      input.value = "";
      apply();
    }
  });
  document.addEventListener("keydown", function (e) {
    if (e.key === "/" && document.activeElement !== input) {
      e.preventDefault();
      input.focus();
    }
  });

  // Mark the operation in view in the sidebar.
  if ("IntersectionObserver" in window) {
    var links = {};
    navOps.forEach(function (li) {
      var a = li.querySelector("a");
      if (a) {
        links[a.getAttribute("href").slice(1)] = a;
      }
    });
    var current = null;
    var observer = new IntersectionObserver(function (entries) {
      entries.forEach(function (entry) {
        if (!entry.isIntersecting) {
          return;
        }
        var a = links[entry.target.id];
        if (a && a !== current) {
          if (current) {
            current.classList.remove("current");
          }
          a.classList.add("current");
          current = a;
        }
      });
    }, { rootMargin: "0px 0px -70% 0px" });
    ops.forEach(function (el) { observer.observe(el); });
  }
});
