/**
 * `/api/docs`: a self-contained page that fetches `/api/openapi.json` and lists every route with
 * its summary, parameters, body schema and responses. No external scripts or styles.
 */
export function renderDocsPage(): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Reqase Lite API reference</title>
<style>
body{font:15px/1.5 system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#1d1d1f}
h1{font-size:1.6rem}h2{font-size:1.1rem;margin-top:2rem;border-bottom:1px solid #ddd}
details{border:1px solid #ddd;border-radius:6px;margin:.4rem 0;padding:.3rem .6rem}
summary{cursor:pointer}code,pre{font-family:ui-monospace,monospace;font-size:13px}
pre{background:#f6f6f6;padding:.6rem;overflow:auto;border-radius:4px}
.method{display:inline-block;min-width:4.2rem;font-weight:600;text-transform:uppercase}
.get{color:#0a6}.post{color:#06c}.put,.patch{color:#a60}.delete{color:#c22}
</style>
</head>
<body>
<h1>Reqase Lite API</h1>
<p id="intro">Loading <a href="/api/openapi.json">/api/openapi.json</a>…</p>
<main id="routes"></main>
<script>
(async () => {
  const escape = (text) => String(text).replace(/[&<>"']/g, (c) => ({'&':'&amp;','<':'&lt;','>':'&gt;','"':'&quot;',"'":'&#39;'}[c]));
  const response = await fetch('/api/openapi.json');
  const document = await response.json();
  const schemas = (document.components && document.components.schemas) || {};
  const resolve = (schema) => schema && schema.$ref ? schemas[schema.$ref.split('/').pop()] : schema;
  document.getElementById('intro').innerHTML = escape(document.info.description || '') +
    ' <a href="/api/openapi.json">OpenAPI document</a>.';
  const byTag = {};
  for (const [path, item] of Object.entries(document.paths)) {
    for (const [method, operation] of Object.entries(item)) {
      const tag = (operation.tags && operation.tags[0]) || 'other';
      (byTag[tag] = byTag[tag] || []).push({ path, method, operation });
    }
  }
  let html = '';
  for (const [tag, routes] of Object.entries(byTag)) {
    html += '<h2>' + escape(tag) + '</h2>';
    for (const { path, method, operation } of routes) {
      html += '<details><summary><span class="method ' + method + '">' + method + '</span> <code>' + escape(path) +
        '</code> ' + escape(operation.summary || '') + '</summary>';
      if (operation.description) html += '<p>' + escape(operation.description) + '</p>';
      if (operation.parameters && operation.parameters.length) {
        html += '<p><strong>Parameters</strong></p><ul>' + operation.parameters.map((p) =>
          '<li><code>' + escape(p.name) + '</code> (' + escape(p.in) + (p.required ? ', required' : '') + ')' +
          (p.description ? ': ' + escape(p.description) : '') + '</li>').join('') + '</ul>';
      }
      const body = operation.requestBody && operation.requestBody.content;
      if (body) {
        for (const [type, media] of Object.entries(body)) {
          html += '<p><strong>Body</strong> <code>' + escape(type) + '</code></p><pre>' +
            escape(JSON.stringify(resolve(media.schema), null, 2)) + '</pre>';
        }
      }
      html += '<p><strong>Responses</strong></p><ul>' + Object.entries(operation.responses || {}).map(([status, r]) =>
        '<li><code>' + escape(status) + '</code> ' + escape(r.description || '') + '</li>').join('') + '</ul>';
      html += '</details>';
    }
  }
  document.getElementById('routes').innerHTML = html;
})().catch((error) => { document.getElementById('intro').textContent = 'Could not load the API document: ' + error; });
</script>
</body>
</html>`;
}
