// cxr4j serve page: no libraries, no network other than this server's own API.
'use strict';
(function () {
  const $ = (id) => document.getElementById(id);
  const NAMES = { bacterial_pneumonia: 'bacterial pneumonia', healthy: 'healthy', viral_pneumonia: 'viral pneumonia', covid19: 'COVID-19' };
  const nice = (c) => NAMES[c] || c;
  const pct = (p) => (100 * p).toFixed(1) + ' %';
  let pictures = { overlay: null, heatmap: null };

  function text(el, s) { el.textContent = s; return el; }
  function item(s) { const li = document.createElement('li'); li.textContent = s; return li; }

  function showModel(card) {
    const box = $('model');
    box.textContent = '';
    const dl = document.createElement('dl');
    const add = (k, v) => { dl.appendChild(text(document.createElement('dt'), k)); dl.appendChild(text(document.createElement('dd'), v)); };
    add('Model', card.model);
    add('Classes', card.classes.map(nice).join(', '));
    if (card.trained_on) {
      const t = card.trained_on;
      const sources = Object.entries(t.sources || {}).map(([s, by]) => s + ' (' + Object.values(by).reduce((a, b) => a + b, 0) + ')');
      add('Trained on', sources.join(', '));
      if (t.populations) add('Populations', Object.entries(t.populations).map(([k, v]) => k + ' ' + v).join(', '));
      (t.limits || []).forEach((l) => add('Limit', l));
    }
    if (card.figures) {
      const f = card.figures;
      add('Held-out test', (f.n ? f.n + ' films, ' : '') + (f.accuracy != null ? 'accuracy ' + pct(f.accuracy) : '')
        + (f.macro_f1 != null ? ', macro F1 ' + f.macro_f1.toFixed(3) : ''));
    }
    box.appendChild(dl);
    text($('disclaimer'), card.disclaimer);
  }

  function setView(which) {
    const heat = which === 'heatmap' && pictures.heatmap;
    $('picture').src = 'data:image/png;base64,' + (heat ? pictures.heatmap : pictures.overlay);
    $('picture').alt = heat ? 'The film with a heat map of where the classifier looked' : 'The film with the lung outline';
    text($('caption'), heat ? 'Where the classifier looked (red: most).' : 'The film with the lung outline the model used.');
    $('show-overlay').setAttribute('aria-pressed', String(!heat));
    $('show-heatmap').setAttribute('aria-pressed', String(!!heat));
  }

  function showResult(r) {
    $('refused').hidden = true;
    pictures = { overlay: r.overlay_png, heatmap: r.heatmap_png || null };
    $('show-heatmap').disabled = !pictures.heatmap;
    $('show-heatmap').title = pictures.heatmap ? '' : 'no heat map for this model';
    setView('overlay');
    text($('predicted'), nice(r.predicted));
    text($('confidence'), '(' + pct(r.confidence) + ')');
    const bars = $('bars');
    bars.textContent = '';
    Object.entries(r.probabilities).forEach(([c, p]) => {
      const li = document.createElement('li');
      li.className = 'bar' + (c === r.predicted ? ' top' : '');
      li.dataset.cls = c;
      const name = text(document.createElement('span'), nice(c)); name.className = 'name';
      const track = document.createElement('span'); track.className = 'track';
      track.setAttribute('role', 'meter'); track.setAttribute('aria-valuemin', '0'); track.setAttribute('aria-valuemax', '100');
      track.setAttribute('aria-valuenow', (100 * p).toFixed(1)); track.setAttribute('aria-label', nice(c));
      const fill = document.createElement('span'); fill.className = 'fill'; fill.style.width = (100 * p).toFixed(1) + '%'; fill.style.display = 'block';
      track.appendChild(fill);
      const value = text(document.createElement('span'), pct(p)); value.className = 'value';
      li.append(name, track, value);
      bars.appendChild(li);
    });
    text($('lungmask'), r.lung_mask);
    const verdict = $('verdict');
    verdict.textContent = '';
    const v = document.createElement('p');
    if (r.input_check === 'off') {
      v.textContent = 'Input check: OFF (research mode): this picture was not checked to be a frontal chest X-ray.';
    } else if (r.corrections && r.corrections.length) {
      v.textContent = 'Input check: accepted after corrections: ' + r.corrections.join('; ') + '.';
    } else {
      v.textContent = 'Input check: accepted as a frontal chest X-ray (no corrections needed).';
      v.className = 'verdict-ok';
    }
    verdict.appendChild(v);
    const w = $('warnings');
    w.textContent = '';
    (r.warnings.length ? r.warnings : ['none']).forEach((s) => w.appendChild(item(s)));
    $('result').hidden = false;
  }

  function showRefused(status, body) {
    $('result').hidden = true;
    text($('refused-error'), (body && body.error ? body.error : 'request failed') + ' (HTTP ' + status + ')');
    text($('refused-reason'), body && body.reason ? body.reason : '');
    $('refused').hidden = false;
  }

  async function analyse(file) {
    if (!file) return;
    text($('status'), 'Analysing ' + file.name + '\u2026');
    const form = new FormData();
    form.append('image', file);
    try {
      const res = await fetch('/api/v1/analyze', { method: 'POST', body: form });
      let body = null;
      try { body = await res.json(); } catch (e) { body = null; }
      if (res.ok) {
        showResult(body);
        text($('status'), 'Done: ' + file.name + '.');
      } else {
        showRefused(res.status, body);
        const wait = res.headers.get('Retry-After');
        text($('status'), 'No result for ' + file.name + (wait ? '; the server is busy, try again in ' + wait + ' s.' : '.'));
      }
    } catch (e) {
      showRefused(0, { error: 'cannot reach the server', reason: '' });
      text($('status'), 'No result for ' + file.name + '.');
    }
  }

  $('file').addEventListener('change', (e) => analyse(e.target.files[0]));
  $('show-overlay').addEventListener('click', () => setView('overlay'));
  $('show-heatmap').addEventListener('click', () => setView('heatmap'));
  const drop = $('drop');
  ['dragenter', 'dragover'].forEach((t) => drop.addEventListener(t, (e) => { e.preventDefault(); drop.classList.add('over'); }));
  ['dragleave', 'drop'].forEach((t) => drop.addEventListener(t, (e) => { e.preventDefault(); drop.classList.remove('over'); }));
  drop.addEventListener('drop', (e) => { if (e.dataTransfer.files.length) analyse(e.dataTransfer.files[0]); });

  fetch('/api/v1/model').then((r) => r.json()).then(showModel)
    .catch(() => text($('model'), 'The model card could not be loaded.'));
})();
