// Torque back office: input masks (CPF/CNPJ, CEP, phones, plates, money),
// the address lookup from a CEP, and the print button. Progressive
// enhancement only: every form works without it and the server validates.
(function () {
  'use strict';
  var digits = function (s) { return s.replace(/\D/g, ''); };
  var masks = {
    document: function (v) {
      var raw = v.toUpperCase().replace(/[^0-9A-Z]/g, '');
      // Alphanumeric CNPJ (2026) keeps letters in its first 12 characters.
      if (/[A-Z]/.test(raw) || raw.length > 11) {
        raw = raw.slice(0, 14);
        return raw.replace(/^(\w{2})(\w)/, '$1.$2').replace(/^(\w{2})\.(\w{3})(\w)/, '$1.$2.$3')
          .replace(/\.(\w{3})(\w)/, '.$1/$2').replace(/(\w{4})(\w)/, '$1-$2');
      }
      var d = raw;
      if (d.length > 9) return d.replace(/^(\d{3})(\d{3})(\d{3})(\d{1,2}).*/, '$1.$2.$3-$4');
      if (d.length > 6) return d.replace(/^(\d{3})(\d{3})(\d{1,3})/, '$1.$2.$3');
      if (d.length > 3) return d.replace(/^(\d{3})(\d{1,3})/, '$1.$2');
      return d;
    },
    cep: function (v) {
      var d = digits(v).slice(0, 8);
      return d.length > 5 ? d.slice(0, 5) + '-' + d.slice(5) : d;
    },
    phone: function (v) {
      if (v.trim().charAt(0) === '+') return v;
      var d = digits(v).slice(0, 11);
      if (d.length <= 2) return d.length ? '(' + d : d;
      var ddd = d.slice(0, 2), rest = d.slice(2);
      var cut = rest.length > 8 ? 5 : 4;
      return '(' + ddd + ') ' + (rest.length > cut ? rest.slice(0, cut) + '-' + rest.slice(cut) : rest);
    },
    plate: function (v) {
      var s = v.toUpperCase().replace(/[^0-9A-Z]/g, '').slice(0, 7);
      // Old plates (ABC1234) show as ABC-1234; Mercosul (ABC1D23) without a dash.
      if (/^[A-Z]{3}\d{4}$/.test(s)) return s.slice(0, 3) + '-' + s.slice(3);
      return s;
    },
    uf: function (v) { return v.toUpperCase().replace(/[^A-Z]/g, '').slice(0, 2); },
    money: function (v) { return v.replace(/[^\d.,]/g, ''); }
  };
  function applyMask(el) {
    var m = masks[el.getAttribute('data-mask')];
    if (!m) return;
    var before = el.value, after = m(before);
    if (after !== before) el.value = after;
  }
  document.addEventListener('input', function (e) {
    var el = e.target;
    if (el && el.hasAttribute && el.hasAttribute('data-mask')) applyMask(el);
  });

  function setField(name, value) {
    var el = document.getElementById('f-address.' + name);
    if (el && value && !el.value) el.value = value;
  }
  function lookupCEP(el) {
    var hint = document.getElementById('cep-hint');
    if (!hint) return;
    var d = digits(el.value);
    if (d.length !== 8) return;
    var ctl = typeof AbortController === 'function' ? new AbortController() : null;
    var timer = setTimeout(function () { if (ctl) ctl.abort(); }, 3000);
    fetch(hint.getAttribute('data-cep-url') + d, { headers: { Accept: 'application/json' }, credentials: 'same-origin', signal: ctl ? ctl.signal : undefined })
      .then(function (r) { if (!r.ok) throw new Error('cep'); return r.json(); })
      .then(function (a) {
        setField('street', a.street); setField('district', a.district); setField('city', a.city);
        setField('state', a.state); setField('complement', a.complement);
        hint.textContent = hint.getAttribute('data-cep-ok');
        var n = document.getElementById('f-address.number'); if (n) n.focus();
      })
      .catch(function () { hint.textContent = hint.getAttribute('data-cep-fail'); })
      .finally(function () { clearTimeout(timer); });
  }
  document.addEventListener('change', function (e) {
    if (e.target && e.target.id === 'f-address.postal_code') lookupCEP(e.target);
  });
  document.addEventListener('click', function (e) {
    if (e.target && e.target.hasAttribute && e.target.hasAttribute('data-print')) window.print();
  });
  document.addEventListener('DOMContentLoaded', function () {
    var first = document.querySelector('[aria-invalid=true]');
    if (first) first.focus();
  });
})();
