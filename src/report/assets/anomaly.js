// The anomaly close-up's interaction: clicking an op lists the longest partial linearization that
// contains it and outlines those ops in the picture (Porcupine's view of a failed check).
'use strict';
(function () {
  const T = window.tenrec;
  const A = T.data.anomaly;
  const view = document.getElementById('partial-view');
  if (!A || !A.partials || !view) return;
  const groups = Array.from(document.querySelectorAll('svg.closeup g.cu-op'));

  function describe(op) {
    return op.t + '  [process ' + op.p + ', ' + T.fmtSeconds(op.c) + ' – ' + (op.r === null ? '∞' : T.fmtSeconds(op.r)) + ']';
  }

  function show(id) {
    const order = A.partials[id];
    const inOrder = new Set(order || []);
    for (const g of groups) {
      const gid = Number(g.dataset.op);
      g.classList.toggle('lin', inOrder.has(gid));
      g.classList.toggle('sel', gid === id);
    }
    const title = document.createElement('p');
    const op = T.data.ops[id];
    // textContent only: history values are untrusted.
    if (!order) {
      title.textContent = 'No linearization the checker found includes ' + describe(op) + '.';
      view.replaceChildren(title);
      return;
    }
    title.textContent = 'Longest linearization including ' + describe(op) + ' (' + order.length + ' ops):';
    const list = document.createElement('ol');
    const shown = order.slice(-30);
    list.start = order.length - shown.length + 1;
    for (const oid of shown) {
      const li = document.createElement('li');
      li.textContent = describe(T.data.ops[oid]);
      if (oid === id) li.style.fontWeight = '700';
      list.append(li);
    }
    view.replaceChildren(title, list);
  }

  for (const g of groups) g.addEventListener('click', () => show(Number(g.dataset.op)));
  T.anomalyView = { show };
})();
