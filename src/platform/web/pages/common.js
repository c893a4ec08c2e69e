/* Shared by the cockpit and the public portal: GraphQL over fetch, formatting. No framework, no CDN. */
(function () {
  'use strict';
  function gql(query, variables, token) {
    var headers = { 'Content-Type': 'application/json' };
    if (token) headers.Authorization = 'Bearer ' + token;
    return fetch('/graphql', { method: 'POST', headers: headers, body: JSON.stringify({ query: query, variables: variables || {} }) })
      .then(function (res) { return res.json(); })
      .then(function (body) {
        if (body.errors && body.errors.length) {
          var e = new Error(body.errors[0].message);
          e.code = body.errors[0].extensions && body.errors[0].extensions.code;
          throw e;
        }
        return body.data;
      });
  }
  function pct(value) {
    if (value === null || value === undefined || value === '') return '—';
    return (Number(value) * 100).toFixed(2) + '%';
  }
  function text(value) {
    return value === null || value === undefined || value === '' ? '—' : String(value);
  }
  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) {
      if (k === 'text') node.textContent = attrs[k];
      else if (k === 'class') node.className = attrs[k];
      else node.setAttribute(k, attrs[k]);
    });
    (children || []).forEach(function (c) { node.appendChild(typeof c === 'string' ? document.createTextNode(c) : c); });
    return node;
  }
  function fill(tbody, rows) {
    tbody.textContent = '';
    rows.forEach(function (cells) {
      var tr = el('tr');
      cells.forEach(function (c) {
        var td = el('td', c && c.num ? { class: 'num' } : {});
        if (c && c.node) td.appendChild(c.node);
        else td.textContent = c && typeof c === 'object' ? text(c.value) : text(c);
        tr.appendChild(td);
      });
      tbody.appendChild(tr);
    });
  }
  window.vbp = { gql: gql, pct: pct, text: text, el: el, fill: fill };
})();
